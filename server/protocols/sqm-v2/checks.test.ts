// SQM v2 conversation checks with plain facts: throttle levels (MS-SQMCS2 3.1.5.2.2), retries after
// errors (3.1.5.2.3), and a token's origin, scope, expiry and use (3.1.5.2.1, 3.1.5.3).

import type { Setup } from '../../conversation';
import { judgeRetry, judgeThrottles, judgeToken, throttleCovers, type Ns, type ReqFacts, type ThrottleLevel } from './checks';
import type { TokenRow } from './state';

const NS: Ns = { svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6', args: { caid: 'x' } };
const NOW = Date.parse('2026-01-02T00:00:00Z');
const facts: ReqFacts = { clientKey: '{M}', nowMs: NOW, key: '1', command: 'requpload', namespace: NS };
const setup = (over: Partial<Setup>): Setup => ({
  id: 1,
  requestId: 4,
  clientKey: '{M}',
  protocol: 'sqm-v2',
  kind: 'throttle',
  at: '2026-01-01T00:00:00.000Z',
  until: null,
  ref: null,
  data: {},
  expectation: null,
  metBy: null,
  ...over,
});

describe('throttleCovers', () => {
  it.each<[ThrottleLevel, Ns, boolean]>([
    ['root', { svc: 'other' }, true],
    ['svc', { ...NS, ptr: 'office' }, true],
    ['svc', { ...NS, svc: 'other' }, false],
    ['ptr', NS, true],
    ['ptr', { ...NS, ptr: 'office' }, false],
    ['gp', { ...NS, app: '7' }, true],
    ['gp', { ...NS, gp: 'other' }, false],
    ['app', { ...NS, args: {} }, true],
    ['app', { ...NS, app: '7' }, false],
    ['all', NS, true],
    ['all', { ...NS, args: { caid: 'y' } }, false],
  ])('%s against %j → %s', (level, r, expected) => expect(throttleCovers(level, NS, r)).toBe(expected));
});

it('judgeThrottles reports the throttles that cover the req', () => {
  const t = (level: string) => setup({ data: { level, period: 7, namespace: { ...NS, ptr: 'office' } } });
  expect(judgeThrottles(facts, [t('ptr'), t('svc')]).map((f) => [f.rule, f.specRef, f.relatedRequestId])).toEqual([['sqm-v2.throttle-ignored', 'MS-SQMCS2 3.1.5.2.2', 4]]);
});

it.each([
  ['retrv=0, a day later', 0, '2026-01-01T00:00:00.000Z', ['sqm-v2.retry-refused']],
  ['retrv=1, 1 hour later', 1, '2026-01-01T23:00:00.000Z', ['sqm-v2.retry-early']],
  ['retrv=1, 9 hours later', 1, '2026-01-01T15:00:00.000Z', []],
])('judgeRetry: %s', (_n, retrv, at, expected) => {
  expect(judgeRetry(facts, [setup({ kind: 'refused', at, data: { retrv } })]).map((f) => f.rule)).toEqual(expected);
});

describe('judgeToken', () => {
  const row = (over: Partial<TokenRow>): TokenRow => ({
    token: 't',
    requestId: 2,
    namespace: NS,
    mid: '{m}',
    issuedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-05T00:00:00.000Z',
    expiresFiletime: '0',
    usedBy: [],
    receipts: [],
    ...over,
  });
  it.each<[string, TokenRow | undefined, string[]]>([
    ['issued to this client, for this namespace, in time, unused', row({}), []],
    ['never issued', undefined, ['sqm-v2.no-requpload']],
    ['issued to another mid', row({ mid: '{OTHER}' }), ['sqm-v2.token-scope']],
    ['issued for another partner', row({ namespace: { ...NS, ptr: 'office' } }), ['sqm-v2.token-scope']],
    ['expired', row({ expiresAt: '2026-01-01T12:00:00.000Z' }), ['sqm-v2.token-expired']],
    ['already used for a receipt', row({ receipts: [3] }), ['sqm-v2.token-reused']],
  ])('%s', (_n, r, expected) => expect(judgeToken({ ...facts, command: 'dataupload' }, 't', r).map((f) => f.rule)).toEqual(expected));
});
