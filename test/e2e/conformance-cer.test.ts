// CER across requests (INTERFACE.md section 5, MS-CER2 3.1.5): a DumpFile issued with iData=1 is an
// expectation until its cabinet arrives; a cabinet nobody asked for, or missing the client's own
// files, is reported; a 401 is an expectation until the next leg.

import { buildCabinet, buildWerReport } from '../../server/testing';
import { fixture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const level1 = async (body: Buffer = fixture('cer', 'werreport-4.1.xml'), headers: Record<string, string> = {}) => {
  const res = await fetch(`${mock.url}/stage2.htm`, { method: 'POST', body, headers });
  return { status: res.status, dumpFile: /^DumpFile=(.+)$/m.exec(await res.text())?.[1].trim() };
};
const put = (dumpFile: string, files = [{ name: 'Version.txt', data: Buffer.from('v') }]) =>
  fetch(`${mock.url}${dumpFile.replace(/\\/g, '/')}`, { method: 'PUT', body: buildCabinet(files) });
const rules = async (kind: 'request' | 'conversation' | 'expectation') => (await mock.client.violations({ kind, level: 'all' })).map((v) => v.rule);

it('the MS-CER2 4.1 example and a correct level-2 PUT: no violation, no unmet expectation', async () => {
  const { dumpFile } = await level1();
  expect(await rules('expectation')).toEqual(['cer.level2-missing']);
  expect((await put(dumpFile!)).status).toBe(200);
  expect(await rules('expectation')).toEqual([]);
  expect(await rules('conversation')).toEqual([]);
  const { clients, summary } = await mock.client.conformance();
  expect(clients).toMatchObject([{ protocol: 'cer', requests: 2, violations: [], expectations: [] }]);
  expect(summary).toMatchObject({ violations: 0, unmetExpectations: 0 });
});

it('a cabinet without the file the report listed: cer.cab-contents', async () => {
  const { dumpFile } = await level1();
  await put(dumpFile!, [{ name: 'other.txt', data: Buffer.from('x') }]);
  const [v] = await mock.client.violations({ kind: 'conversation' });
  expect(v).toMatchObject({ rule: 'cer.cab-contents', level: 'warning', specRef: 'MS-CER2 3.1.5' });
  expect(v.message).toMatch(/Version\.txt/);
});

it('a DumpFile sent with iData=0 (a rule sends both): its cabinet is unrequested', async () => {
  await mock.client.setScenario({ rules: [{ respond: { cer: { iData: 0, dumpFile: '\\PersistedCabs\\x\\1\\fixed.cab' } } }] });
  const { dumpFile } = await level1(buildWerReport());
  expect(await rules('expectation')).toEqual([]);
  expect((await put(dumpFile!)).status).toBe(200);
  expect(await rules('conversation')).toContain('cer.level2-unrequested');
});

it('cer.requireAuth: a 401 is an expectation until the client sends its next leg', async () => {
  await mock.client.setScenario({ cer: { requireAuth: 'basic' } });
  expect((await level1()).status).toBe(401);
  expect(await rules('expectation')).toEqual(['cer.auth-incomplete']);
  expect((await level1(undefined, { authorization: 'Basic dXNlcjpwdw==' })).status).toBe(200);
  expect(await rules('expectation')).toEqual(['cer.level2-missing']);
});

it('the JUnit report counts one failure per violation or unmet expectation', async () => {
  await level1();
  const xml = await mock.client.conformanceJunit();
  expect(xml).toMatch(/<testsuite name="cer" tests="5" failures="1"/);
  expect(xml).toContain('name="cer.level2-missing"');
});
