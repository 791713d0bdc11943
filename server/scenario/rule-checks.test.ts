// Rules refused at load because they can never work (issue 14 item 4): a `when` key no request of
// the rule's protocol(s) has, a protocol part the rule cannot use, answers that exclude each other.

import { validateScenario } from '../protocols/scenario';
import { ScenarioError } from './load';
import { ruleProblems, type CheckedRule, type ProtocolFacts } from './rule-checks';

const FACTS: ProtocolFacts = {
  matchKeys: { a: ['partner', 'mid'], b: ['eventType'], c: [] },
  respondOwners: { pa: ['a'], pb: ['b'] },
};

describe('ruleProblems (plain facts)', () => {
  it.each<[string, CheckedRule, { path: PropertyKey[]; message: RegExp }[]]>([
    ['a key its protocol has', { when: { protocol: 'a', partner: 'x' } as CheckedRule['when'] }, []],
    [
      'a key no request of its protocol has',
      { when: { protocol: 'b', partner: 'x' } as CheckedRule['when'] },
      [{ path: ['when', 'partner'], message: /a b request has no partner \(a b rule matches on protocol, method, path, eventType\)/ }],
    ],
    [
      'keys no one protocol has together',
      { when: { partner: 'x', eventType: 'E' } as CheckedRule['when'] },
      [{ path: ['when'], message: /no protocol's requests have all of partner, eventType \(partner: a; eventType: b\)/ }],
    ],
    ['a key some protocol has, no protocol named', { when: { eventType: 'E' } as CheckedRule['when'] }, []],
    [
      'a part for a protocol the rule cannot match',
      { when: { protocol: 'a' }, respond: { pb: {} } },
      [{ path: ['respond', 'pb'], message: /pb is never used: it shapes b answers, and this rule matches only a requests/ }],
    ],
    ['a part the protocol the key implies reads', { when: { eventType: 'E' } as CheckedRule['when'], respond: { pb: {} } }, []],
    ['the wrong part in step 1 of a sequence', { when: { protocol: 'a' }, respond: [{ pa: {} }, { pb: {} }] }, [{ path: ['respond', 1, 'pb'], message: /never used/ }]],
    [
      'a fault that sends nothing, with a status',
      { respond: { fault: 'reset', status: 503 } },
      [{ path: ['respond', 'fault'], message: /fault reset sends no answer, so status would never be sent/ }],
    ],
    ['hang with a body and headers', { respond: { fault: 'hang', body: 'x', headers: {} } }, [{ path: ['respond', 'fault'], message: /so body, headers would never be sent/ }]],
    ['empty with a body', { respond: { fault: 'empty', body: 'x' } }, [{ path: ['respond', 'fault'], message: /fault empty sends the status and headers without a body/ }]],
    [
      'empty with a status, truncate with a body',
      {
        respond: [
          { fault: 'empty', status: 503 },
          { fault: 'truncate', body: 'x' },
        ],
      },
      [],
    ],
  ])('%s', (_name, rule, expected) => {
    const got = ruleProblems(rule, FACTS);
    expect(got.map((p) => p.path)).toEqual(expected.map((e) => e.path));
    got.forEach((p, i) => expect(p.message).toMatch(expected[i].message));
  });
});

/** The problems the registry's schema finds in a scenario. */
function problems(scenario: unknown): string[] {
  try {
    validateScenario(scenario, 'file.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  return [];
}

describe('the registry schema refuses rules that can never work', () => {
  // The match keys come from each protocol route's matchKeys, the parts from each module's scenario parts.
  it.each<[string, unknown, RegExp]>([
    [
      'a cer rule with partner',
      { rules: [{ name: 'crash', when: { protocol: 'cer', partner: 'windows' } }] },
      /^rules\[0\]\.when\.partner: rule "crash": this rule can never match: a cer request has no partner \(a cer rule matches on protocol, method, path, eventType, appName\)$/,
    ],
    [
      'a relay rule with mid',
      { rules: [{ when: { protocol: 'relay', mid: '{0A}' } }] },
      /^rules\[0\]\.when\.mid: this rule can never match: a relay request has no mid \(a relay rule matches on protocol, method, path\)$/,
    ],
    ['an sqm-v1 rule with command', { rules: [{ when: { protocol: 'sqm-v1', command: 'requpload' } }] }, /a sqm-v1 request has no command/],
    [
      'partner and eventType together',
      { rules: [{ when: { partner: 'windows', eventType: 'APPCRASH' } }] },
      /^rules\[0\]\.when: .*no protocol's requests have all of partner, eventType \(partner: sqm-v1, sqm-v2, asqm-manifest, ceip; eventType: cer, cer-level2\)$/,
    ],
    [
      'an sqm part on a cer rule',
      { rules: [{ when: { protocol: 'cer' }, respond: { sqm: { fixedThrottle: true } } }] },
      /^rules\[0\]\.respond\.sqm: sqm is never used: it shapes sqm-v1 answers, and this rule matches only cer requests$/,
    ],
    [
      'a cer part on a rule only SQM requests match',
      { rules: [{ when: { mid: '{0A}' }, respond: { cer: { iData: 0 } } }] },
      /respond\.cer: cer is never used: it shapes cer, cer-level2 answers, and this rule matches only sqm-v1, sqm-v2 requests/,
    ],
    ['reset with a status', { rules: [{ respond: { status: 503, fault: 'reset' } }] }, /^rules\[0\]\.respond\.fault: fault reset sends no answer/],
    [
      'v2 error beside approve',
      { rules: [{ respond: { v2: { error: { retrv: 0 }, approve: {} } } }] },
      /^rules\[0\]\.respond\.v2\.error: error answers every command, so approve would never be sent/,
    ],
    [
      'v2 throttle beside approve',
      { rules: [{ respond: { v2: { throttle: { period: 1, namespace: 'all' }, approve: {} } } }] },
      /^rules\[0\]\.respond\.v2\.throttle: a requpload gets throttle or approved/,
    ],
    [
      'sqm fixedThrottle beside throttleInterval',
      { rules: [{ respond: { sqm: { fixedThrottle: true, throttleInterval: 7 } } }] },
      /^rules\[0\]\.respond\.sqm\.fixedThrottle: fixedThrottle .* and throttleInterval .* exclude each other/,
    ],
  ])('%s', (_name, scenario, expected) => {
    const got = problems(scenario);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  it.each<[string, unknown]>([
    ['a v2 rule with command and namespace', { rules: [{ when: { protocol: 'sqm-v2', command: 'requpload', namespace: { ptr: 'windows' } }, respond: { v2: { approve: {} } } }] }],
    ['a cer-level2 rule with eventType', { rules: [{ when: { protocol: 'cer-level2', eventType: 'APPCRASH' }, respond: { status: 500 } }] }],
    ['sqm and cer parts on a rule for any protocol', { rules: [{ respond: { sqm: { throttleInterval: 1 }, cer: { iData: 0 } } }] }],
    ['an sqm part with a status (the 201 status)', { rules: [{ when: { partner: 'windows' }, respond: { status: 202, sqm: { throttleInterval: 1 } } }] }],
  ])('accepts %s', (_name, scenario) => {
    expect(problems(scenario)).toEqual([]);
  });

  it('suggests the key that was meant', () => {
    expect(problems({ rules: [{ respnd: { status: 503 } }] })).toEqual([
      'rules[0]: unknown key "respnd" (did you mean "respond"?) (this mapping takes name, when, times, probability, respond; see docs/scenarios.md)',
    ]);
    expect(problems({ rules: [{ when: { partnr: 'windows', protocl: 'sqm-v1' } }] })[0]).toMatch(
      /unknown keys "partnr" \(did you mean "partner"\?\), "protocl" \(did you mean "protocol"\?\)/,
    );
  });
});
