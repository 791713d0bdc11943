// Real traffic is clean (INTERFACE.md section 2): the MS-SQMCS 4.1 capture (a Windows 7 upload) and
// the MS-CER2 section 4 examples, followed by a correct level-2 PUT, give no error and no warning.

import { buildCabinet } from '../../server/testing';
import { fixture, win7Capture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();

it('the MS-SQMCS 4.1 capture, sent once: accepted, no error or warning', async () => {
  const res = await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body: win7Capture() });
  expect(res.status).toBe(200);
  expect(await mock.client.violations()).toEqual([]);
  expect((await mock.client.violations({ level: 'all' })).every((v) => v.level === 'info')).toBe(true);
});

it.each(['werreport-4.1.xml', 'werreport-4.2.xml', 'werreport-4.3.xml', 'werreport-4.4.xml'])('%s, then the level-2 cabinet it asks for: no error or warning', async (name) => {
  const res = await fetch(`${mock.url}/stage2.htm`, { method: 'POST', body: fixture('cer', name) });
  expect(res.status).toBe(200);
  const dumpFile = /^DumpFile=(.+)$/m.exec(await res.text())?.[1].trim();
  expect(dumpFile).toMatch(/\.cab$/);
  const [report] = await mock.client.cerReports();
  const files = report.files.map((f) => ({ name: f.filename, data: Buffer.from(`contents of ${f.filename}`) }));
  const cab = buildCabinet(files.length ? files : [{ name: 'report.txt', data: Buffer.from('x') }]);
  const put = await fetch(`${mock.url}${dumpFile!.replace(/\\/g, '/')}`, { method: 'PUT', body: cab });
  expect(put.status).toBe(200);
  expect((await mock.client.cerReports())[0].level2).toMatchObject({ size: cab.length, corrupt: false });
  expect(await mock.client.violations()).toEqual([]);
});
