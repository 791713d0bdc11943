// SQM v2 across requests with the mock's clock (INTERFACE.md section 5, MS-SQMCS2 3.1.5): throttles
// by namespace level, refused data and retry times, token scope, expiry and use, manifests to fetch.
// A well-behaved client (requpload → dataupload with its token, once) has no conversation violation.

import { buildSqmSession, buildSqmV2Message, responseCommands } from '../../server/testing';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const HOUR = 3600;
const DAY = 24 * HOUR;
const send = async (body: Buffer) => responseCommands(await (await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body })).text())['1'];
const ask = (namespace?: { ptr?: string; app?: string }) => send(buildSqmV2Message({ cmd: 'requpload', namespace }));
const upload = (token: string, sessions = [buildSqmSession()], namespace?: { ptr?: string }) => send(buildSqmV2Message({ cmd: 'dataupload', token, sessions, namespace }));
const rules = async () => (await mock.client.violations({ kind: 'conversation' })).map((v) => v.rule);

it('a well-behaved client: requpload, then one dataupload with its token: no conversation violation', async () => {
  const { token } = (await ask()).args;
  expect((await upload(token)).nm).toBe('receipt');
  expect(await rules()).toEqual([]);
  const [client] = (await mock.client.conformance()).clients;
  expect(client).toMatchObject({ protocol: 'sqm-v2', requests: 2, violations: [], expectations: [] });
});

it('throttle at level ptr: a requpload for that partner within the period is a violation, another partner or after the period is not', async () => {
  await mock.client.setScenario({ rules: [{ times: 1, respond: { v2: { throttle: { period: 7, namespace: 'ptr' } } } }] });
  expect((await ask()).nm).toBe('throttle');
  await mock.client.advanceClock(1 * DAY);
  await ask();
  expect(await rules()).toEqual(['sqm-v2.throttle-ignored']);
  await ask({ ptr: 'office' });
  expect(await rules()).toHaveLength(1);
  await mock.client.advanceClock(7 * DAY);
  await ask();
  expect(await rules()).toHaveLength(1);
});

it('error retrv=0: the same data again is retry-refused; retrv=1: again within 8 hours is retry-early, after 9 hours not', async () => {
  const { token } = (await ask()).args;
  const session = buildSqmSession();
  await mock.client.setScenario({ rules: [{ times: 1, when: { command: 'dataupload' }, respond: { v2: { error: { retrv: 0 } } } }] });
  expect((await upload(token, [session])).nm).toBe('error');
  await upload(token, [session]);
  expect(await rules()).toEqual(['sqm-v2.retry-refused']);
  await mock.client.reset();
  await mock.client.setScenario({ rules: [{ times: 1, when: { command: 'requpload' }, respond: { v2: { error: { retrv: 1 } } } }] });
  expect((await ask()).args.retrv).toBe('1');
  await mock.client.advanceClock(1 * HOUR);
  await ask();
  expect(await rules()).toEqual(['sqm-v2.retry-early']);
  await mock.client.advanceClock(9 * HOUR);
  await ask();
  expect(await rules()).toHaveLength(1);
});

it('a token used for another namespace is token-scope; used again after its receipt is token-reused', async () => {
  const { token } = (await ask()).args;
  await upload(token, [buildSqmSession()], { ptr: 'office' });
  expect(await rules()).toEqual(['sqm-v2.token-scope']);
  await mock.client.reset();
  const second = (await ask()).args.token;
  expect((await upload(second)).nm).toBe('receipt');
  await upload(second, [buildSqmSession({ header: { clientUploadTime: 5n } })]);
  expect(await rules()).toEqual(['sqm-v2.token-reused']);
});

it('a token used after its expiry is token-expired; a token never issued is no-requpload', async () => {
  const { token } = (await ask()).args;
  await mock.client.advanceClock(5 * DAY);
  expect((await upload(token)).args.retrv).toBe('1');
  expect(await rules()).toEqual(['sqm-v2.token-expired']);
  await upload(`3.${'0'.repeat(32)}.${'0'.repeat(16)}`, [buildSqmSession({ header: { clientUploadTime: 9n } })]);
  expect(await rules()).toEqual(['sqm-v2.token-expired', 'sqm-v2.no-requpload']);
});

it('an rsrc whose ver differs from the client session manifest is an expectation until downloaded', async () => {
  await mock.client.setScenario({ partners: { windows: { manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } } } });
  const { token } = (await ask()).args;
  await upload(token, [buildSqmSession({ header: { manifestVersion: 3 } })]);
  expect((await send(buildSqmV2Message({ cmd: 'qryrsrc' }))).nm).toBe('rsrc');
  expect((await mock.client.violations({ kind: 'expectation' })).map((v) => v.rule)).toEqual(['sqm-v2.manifest-not-fetched']);
  await fetch(`${mock.url}/sqm/windows/manifests/Sqm7.bin`);
  expect(await mock.client.violations({ kind: 'expectation' })).toEqual([]);
});
