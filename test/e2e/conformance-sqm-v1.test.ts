// SQM v1 across requests with the mock's clock (INTERFACE.md section 5): a client that ignores a
// 201 throttle, a 403, resends an accepted session, or does not fetch an announced manifest is
// reported; a client that waits, or fetches, is not.

import { buildSqmSession } from '../../server/testing';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const DAY = 86400;
const upload = (body: Buffer) => fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
const session = (n: number) => buildSqmSession({ header: { clientUploadTime: BigInt(n) } });
const conversation = async () => (await mock.client.violations({ kind: 'conversation' })).map((v) => [v.rule, v.level, v.relatedRequestId]);

it('201 ThrottleInterval 7: an upload after 1 day is a violation, after 8 days none', async () => {
  await mock.client.setScenario({ rules: [{ name: 'throttle', times: 1, respond: { sqm: { throttleInterval: 7 } } }] });
  expect((await upload(session(1))).status).toBe(201);
  const [first] = await mock.client.requests();
  await mock.client.advanceClock(1 * DAY);
  await upload(session(2));
  expect(await conversation()).toEqual([['sqm-v1.throttle-ignored', 'warning', first.id]]);
  const [v] = await mock.client.violations({ kind: 'conversation' });
  expect(v.message).toMatch(new RegExp(`1 day after request ${first.id} answered 201 ThrottleInterval 7 days`));
  expect(v.specRef).toBe('MS-SQMCS 3.1.5.2.2');
  await mock.client.advanceClock(7 * DAY);
  await upload(session(3));
  expect(await conversation()).toHaveLength(1);
});

it('403: an upload within 14 days is a violation, after 15 days none', async () => {
  await mock.client.setScenario({ rules: [{ times: 1, respond: { sqm: { fixedThrottle: true } } }] });
  expect((await upload(session(1))).status).toBe(403);
  await mock.client.advanceClock(13 * DAY);
  await upload(session(2));
  expect((await conversation()).map((c) => c[0])).toEqual(['sqm-v1.fixed-throttle-ignored']);
  await mock.client.advanceClock(2 * DAY);
  await upload(session(3));
  expect(await conversation()).toHaveLength(1);
});

it('the same session accepted twice is resent; different sessions are not', async () => {
  await upload(session(1));
  await upload(session(2));
  expect(await conversation()).toEqual([]);
  await upload(session(1));
  expect((await conversation()).map((c) => c[0])).toEqual(['sqm-v1.resent']);
});

it('an announced manifest is an expectation until its download, then it is gone', async () => {
  await mock.client.setScenario({ partners: { windows: { manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } } } });
  const res = await upload(buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: 3 } }));
  expect(res.status).toBe(201);
  const unmet = await mock.client.violations({ kind: 'expectation' });
  expect(unmet).toMatchObject([{ rule: 'sqm-v1.manifest-not-fetched', level: 'expectation', specRef: 'MS-SQMCS 3.1.5.3', clientKey: expect.stringMatching(/^windows\//) }]);
  expect(await mock.client.violations()).toEqual([]);
  expect((await fetch(`${mock.url}/sqm/windows/manifests/Sqm7.bin`)).status).toBe(200);
  expect(await mock.client.violations({ kind: 'expectation' })).toEqual([]);
});

it('the MS-SQMCS 4.1 capture sent once: the conformance report lists its client, clean', async () => {
  const { win7Capture } = await import('../helpers/fixtures');
  await upload(win7Capture());
  const report = await mock.client.conformance();
  expect(report.clients).toMatchObject([{ protocol: 'sqm-v1', requests: 1, violations: [], expectations: [] }]);
  expect(report.summary).toEqual({ checked: 4, violations: 0, requestFindings: 0, unmetExpectations: 0 });
});
