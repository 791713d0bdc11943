// The mock's clock (INTERFACE.md section 5): GET/POST /__admin/clock, scenario clock.start, reset,
// and what the mock issues by it (receivedAt, token expiry, receipts).

import { buildSqmSession, buildSqmV2Message, responseCommands } from '../../server/testing';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const DAY = 86400;

it('advances and sets, and reset puts it back', async () => {
  const before = await mock.client.clock();
  expect(before.offsetSeconds).toBe(0);
  const after = await mock.client.advanceClock(7 * DAY);
  expect(after.offsetSeconds).toBe(7 * DAY);
  expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(7 * DAY * 1000);
  const set = await mock.client.setClock('2030-01-01T00:00:00Z');
  expect(set.now.slice(0, 16)).toBe('2030-01-01T00:00');
  await mock.client.reset();
  expect((await mock.client.clock()).offsetSeconds).toBe(0);
});

it('refuses a body that says neither advanceSeconds nor set', async () => {
  const res = await fetch(`${mock.url}/__admin/clock`, { method: 'POST', body: '{"advance": 3}' });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_QUERY');
});

it('scenario clock.start sets the clock when loaded; requests are received at that time', async () => {
  await mock.client.setScenario({ clock: { start: '2031-05-05T10:00:00Z' } });
  expect((await mock.client.clock()).now.slice(0, 13)).toBe('2031-05-05T10');
  await fetch(`${mock.url}/nothing-here`);
  const [r] = await mock.client.requests();
  expect(r.receivedAt.slice(0, 13)).toBe('2031-05-05T10');
});

it('a token issued now expires 4 days later by the mock clock; after 5 days a dataupload gets retrv=1', async () => {
  const ask = await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body: buildSqmV2Message({ cmd: 'requpload' }) });
  const token = responseCommands(await ask.text())['1'].args.token;
  const [t] = await mock.client.sqmTokens();
  expect(Date.parse(t.expiresAt) - Date.parse(t.issuedAt)).toBe(4 * DAY * 1000);
  await mock.client.advanceClock(5 * DAY);
  const up = await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body: buildSqmV2Message({ cmd: 'dataupload', token, sessions: [buildSqmSession()] }) });
  expect(responseCommands(await up.text())['1']).toMatchObject({ nm: 'error', args: { retrv: '1' } });
});
