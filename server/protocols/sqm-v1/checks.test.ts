// SQM v1 conversation checks with plain facts (no HTTP, no store): what each earlier answer makes of
// a later upload, and what each answer sets up.

import type { Setup } from '../../conversation';
import { judgeUpload, setupsOfAnswer, type UploadFacts } from './checks';

const NOW = Date.parse('2026-01-08T00:00:00Z');
const facts: UploadFacts = { clientKey: 'windows/{C}', partner: 'windows', nowMs: NOW, digest: 'd1'.repeat(20), manifestVersion: 3 };
const setup = (over: Partial<Setup>): Setup => ({
  id: 1,
  requestId: 9,
  clientKey: 'windows/{C}',
  protocol: 'sqm-v1',
  kind: 'throttle',
  at: '2026-01-06T00:00:00.000Z',
  until: null,
  ref: null,
  data: {},
  expectation: null,
  metBy: null,
  ...over,
});
const none = { throttles: [], fixedThrottles: [] };

describe('judgeUpload', () => {
  it.each([
    ['nothing set up', none, []],
    ['an open 201 window', { ...none, throttles: [setup({ data: { days: 7 }, until: '2026-01-13T00:00:00.000Z' })] }, [['sqm-v1.throttle-ignored', 'MS-SQMCS 3.1.5.2.2', 9]]],
    ['an open 403 window', { ...none, fixedThrottles: [setup({ kind: 'fixed-throttle' })] }, [['sqm-v1.fixed-throttle-ignored', 'MS-SQMCS 3.1.5.2.3', 9]]],
    ['the same session accepted before', { ...none, accepted: { requestId: 9, at: '2026-01-07T00:00:00.000Z' } }, [['sqm-v1.resent', 'MS-SQMCS 3.1.5.2.1', 9]]],
  ] as [string, Parameters<typeof judgeUpload>[1], [string, string, number][]][])('%s', (_n, earlier, expected) => {
    const out = judgeUpload(facts, earlier);
    expect(out.map((f) => [f.rule, f.specRef, f.relatedRequestId])).toEqual(expected);
    for (const f of out) expect(f).toMatchObject({ kind: 'conversation', clientKey: 'windows/{C}', level: 'warning', protocol: 'sqm-v1' });
  });
  it('names both requests and the time between them', () => {
    const [f] = judgeUpload(facts, { ...none, throttles: [setup({ data: { days: 7 }, until: '2026-01-13T00:00:00.000Z' })] });
    expect(f.message).toMatch(/^this upload came 2 days after request 9 answered 201 ThrottleInterval 7 days/);
  });
});

describe('setupsOfAnswer', () => {
  const kinds = (rows: ReturnType<typeof setupsOfAnswer>) =>
    rows.map((r) => (r.stmt === 'conversation:seen' ? ['accepted', r.params.digest === facts.digest, r.params.at] : [r.params.kind, r.params.until, r.params.expectation]));
  it.each([
    ['200', { status: 200 }, [['accepted', true, NOW]]],
    [
      '201 ThrottleInterval 7',
      { status: 201, throttleDays: 7 },
      [
        ['accepted', true, NOW],
        ['throttle', '2026-01-15T00:00:00.000Z', null],
      ],
    ],
    [
      '403',
      { status: 403 },
      [
        ['accepted', true, NOW],
        ['fixed-throttle', '2026-01-22T00:00:00.000Z', null],
      ],
    ],
    [
      '201 ManifestVersion 7 (the client has 3)',
      { status: 201, announcedManifest: 7 },
      [
        ['accepted', true, NOW],
        ['manifest', null, 'sqm-v1.manifest-not-fetched'],
      ],
    ],
    ['201 ManifestVersion 3 (the client has it)', { status: 201, announcedManifest: 3 }, [['accepted', true, NOW]]],
    ['400', { status: 400 }, []],
  ] as [string, Parameters<typeof setupsOfAnswer>[1], unknown[]][])('%s', (_n, answer, expected) => {
    expect(kinds(setupsOfAnswer(facts, answer))).toEqual(expected);
  });
  it('remembers a session accepted before only once', () => {
    expect(kinds(setupsOfAnswer(facts, { status: 201, throttleDays: 7 }, true))).toEqual([['throttle', '2026-01-15T00:00:00.000Z', null]]);
  });
});
