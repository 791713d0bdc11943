// Sequences, seeded probability and jitter, faults as data, and the `when` keys beyond the basics.

import { ScenarioEngine } from './engine';
import type { Scenario } from '../protocols/scenario';
import type { RequestFacts } from './types';

const sqm: RequestFacts = { protocol: 'sqm-v1', method: 'POST', path: '/sqm/windows/sqmserver.dll', partner: 'windows' };
const run = (s: Scenario, n: number, f: RequestFacts = sqm) => {
  const e = new ScenarioEngine(s);
  return Array.from({ length: n }, () => e.decide(f));
};

describe('sequences', () => {
  it('uses the answers in turn and repeats the last one', () => {
    const s: Scenario = { rules: [{ name: 'flaky', respond: [{ status: 503 }, { status: 503 }, { status: 200 }] }] };
    expect(run(s, 5).map((d) => d.respond?.status)).toEqual([503, 503, 200, 200, 200]);
  });
  it('with times, stops after N and falls through', () => {
    const s: Scenario = {
      rules: [
        { name: 'seq', times: 2, respond: [{ status: 500 }, { status: 502 }] },
        { name: 'rest', respond: { status: 201 } },
      ],
    };
    expect(run(s, 4).map((d) => [d.ruleName, d.respond?.status])).toEqual([
      ['seq', 500],
      ['seq', 502],
      ['rest', 201],
      ['rest', 201],
    ]);
  });
});

describe('probability with seed', () => {
  const s = (seed: number): Scenario => ({ seed, rules: [{ name: 'coin', probability: 0.5, respond: { status: 503 } }] });
  const pattern = (seed: number) =>
    run(s(seed), 200)
      .map((d) => (d.ruleName ? 1 : 0))
      .join('');
  it('is repeatable: the same seed gives the same draws, run after run', () => {
    expect(pattern(42)).toBe(pattern(42));
    expect(pattern(42)).not.toBe(pattern(43));
  });
  it('hits about as often as it says', () => {
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(70);
    expect(hits).toBeLessThan(130);
  });
  it.each([0, 1])('probability %i is never / always', (p) => {
    const d = run({ rules: [{ probability: p, respond: { status: 500 } }] }, 50);
    expect(d.every((x) => (x.ruleName !== null) === (p === 1))).toBe(true);
  });
  it('a lost draw does not use up times', () => {
    const e = new ScenarioEngine({ seed: 1, rules: [{ name: 'once', times: 1, probability: 0.3, respond: { status: 500 } }] });
    const names = Array.from({ length: 100 }, () => e.decide(sqm).ruleName);
    expect(names.filter((n) => n === 'once')).toHaveLength(1);
  });
  it('resetCounters restarts the random streams too', () => {
    const e = new ScenarioEngine(s(9));
    const first = Array.from({ length: 30 }, () => e.decide(sqm).ruleName);
    e.resetCounters();
    expect(Array.from({ length: 30 }, () => e.decide(sqm).ruleName)).toEqual(first);
  });
});

describe('delivery', () => {
  it('delay plus seeded jitter within bounds, repeatable', () => {
    const s: Scenario = { seed: 5, rules: [{ respond: { delayMs: 100, jitterMs: 50 } }] };
    const a = run(s, 50).map((d) => d.delivery.delayMs);
    expect(a.every((ms) => ms >= 100 && ms <= 150)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(5);
    expect(run(s, 50).map((d) => d.delivery.delayMs)).toEqual(a);
  });
  it('carries the fault, and a seed for garbage bytes', () => {
    const [d] = run({ seed: 3, rules: [{ respond: { fault: 'garbage' } }] }, 1);
    expect(d.delivery.fault).toBe('garbage');
    expect(d.delivery.faultSeed).toBeGreaterThan(0);
    expect(run({ rules: [{ respond: { fault: 'reset' } }] }, 1)[0].delivery).toEqual({ delayMs: 0, fault: 'reset', faultSeed: 0 });
  });
  it('no rule: no delay, no fault', () => {
    expect(run({}, 1)[0].delivery).toEqual({ delayMs: 0, faultSeed: 0 });
  });
});

describe('when keys', () => {
  const cer: RequestFacts = { protocol: 'cer', method: 'POST', path: '/stage2.htm', eventType: 'APPCRASH', appName: 'notepad.exe' };
  const v2: RequestFacts = {
    protocol: 'sqm-v2',
    method: 'POST',
    path: '/sqm/w/sqmserver.dll',
    command: 'requpload',
    namespace: { svc: 'watson', ptr: 'w', gp: 'g', app: 'a' },
    mid: '{AB-CD}',
  };
  it.each<[string, Scenario['rules'], RequestFacts, boolean]>([
    ['eventType, any case', [{ when: { eventType: 'appcrash' } }], cer, true],
    ['eventType on a request without one', [{ when: { eventType: 'APPCRASH' } }], sqm, false],
    ['appName', [{ when: { appName: 'NOTEPAD.EXE' } }], cer, true],
    ['command', [{ when: { command: 'requpload' } }], v2, true],
    ['command mismatch', [{ when: { command: 'dataupload' } }], v2, false],
    ['namespace parts given must all match', [{ when: { namespace: { svc: 'watson', ptr: 'w' } } }], v2, true],
    ['namespace part mismatch', [{ when: { namespace: { ptr: 'x' } } }], v2, false],
    ['mid without braces, lower case', [{ when: { mid: 'ab-cd' } }], v2, true],
    ['mid on a request without one', [{ when: { mid: 'ab-cd' } }], cer, false],
  ])('%s', (_name, rules, facts, hit) => {
    expect(new ScenarioEngine({ rules }).decide(facts).ruleName !== null).toBe(hit);
  });
});
