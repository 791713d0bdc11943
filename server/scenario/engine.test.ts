// ScenarioEngine with plain request facts (no HTTP): rule matching, `times` counting, partners
// and their limits (INTERFACE.md section 3).

import { DEFAULT_MAX_UPLOAD_BYTES, ScenarioEngine } from './engine';
import type { Scenario } from '../protocols/scenario';
import type { RequestFacts } from './types';

const facts = (f: Partial<RequestFacts> = {}): RequestFacts => ({
  protocol: 'sqm-v1',
  method: 'POST',
  path: '/sqm/windows/sqmserver.dll',
  partner: 'windows',
  ...f,
});

describe('decide: first matching rule wins', () => {
  const scenario: Scenario = {
    rules: [
      { name: 'v2-only', when: { protocol: 'sqm-v2' }, respond: { status: 500 } },
      { name: 'office', when: { partner: 'office' }, respond: { status: 501 } },
      { name: 'puts', when: { method: 'put' }, respond: { status: 502 } },
      { name: 'stage2', when: { path: '/Stage2.htm' }, respond: { status: 503 } },
      { when: { protocol: 'sqm-v1', partner: 'windows' }, respond: { status: 504 } },
      { name: 'catch-all', respond: { status: 505 } },
    ],
  };

  it.each<[string, Partial<RequestFacts>, string | null, number | undefined]>([
    ['protocol', { protocol: 'sqm-v2', partner: 'office' }, 'v2-only', 500],
    ['partner', { partner: 'office' }, 'office', 501],
    ['method, case-insensitive', { method: 'PUT' }, 'puts', 502],
    ['path, case-insensitive', { protocol: 'cer', partner: null, path: '/stage2.HTM' }, 'stage2', 503],
    ['path without its query string', { protocol: 'cer', partner: null, path: '/STAGE2.htm?x=1' }, 'stage2', 503],
    ['several keys, unnamed rule → rules[i]', {}, 'rules[4]', 504],
    ['no when: matches anything', { protocol: 'ceip', partner: null, path: '/' }, 'catch-all', 505],
  ])('%s', (_name, f, ruleName, status) => {
    const d = new ScenarioEngine(scenario).decide(facts(f));
    expect(d.ruleName).toBe(ruleName);
    expect(d.respond?.status).toBe(status);
  });

  it('returns the rule respond object itself, or null when the rule has none', () => {
    const respond = { status: 418, body: 'teapot' };
    const e = new ScenarioEngine({ rules: [{ name: 'r', when: { partner: 'a' }, respond }, { name: 'bare' }] });
    expect(e.decide(facts({ partner: 'a' }))).toMatchObject({ ruleName: 'r', respond });
    expect(e.decide(facts({ partner: 'b' }))).toMatchObject({ ruleName: 'bare', respond: null });
  });

  it.each<[string, Scenario]>([
    ['empty scenario', {}],
    ['empty rules', { rules: [] }],
    [
      'no rule matches',
      {
        rules: [
          { name: 'x', when: { protocol: 'cer' } },
          { name: 'y', when: { partner: 'office' } },
        ],
      },
    ],
  ])('%s → { ruleName: null, respond: null }', (_name, s) => {
    expect(new ScenarioEngine(s).decide(facts())).toMatchObject({ ruleName: null, respond: null });
  });

  it('has no rules and strict strictness when constructed without a scenario', () => {
    const e = new ScenarioEngine();
    expect(e.decide(facts())).toMatchObject({ ruleName: null, respond: null });
    expect(e.strictness).toBe('strict');
  });

  it('does not match a partner rule when the request has no partner', () => {
    const e = new ScenarioEngine({ rules: [{ name: 'p', when: { partner: 'windows' } }] });
    expect(e.decide(facts({ partner: null })).ruleName).toBeNull();
    expect(e.decide(facts({ partner: undefined })).ruleName).toBeNull();
  });
});

describe('path patterns', () => {
  it.each<[string, string, string, boolean]>([
    ['exact', '/stage2.htm', '/stage2.htm', true],
    ['exact, other case', '/STAGE2.HTM', '/stage2.htm', true],
    ['exact, query ignored', '/stage2.htm', '/stage2.htm?a=b', true],
    ['exact is not a prefix', '/stage2', '/stage2.htm', false],
    ['exact is not a suffix', '/stage2.htm', '/x/stage2.htm', false],
    ['* in the middle', '/sqm/*/sqmserver.dll', '/sqm/windows/sqmserver.dll', true],
    ['* matches an empty run', '/sqm/*/sqmserver.dll', '/sqm//sqmserver.dll', true],
    ['* spans slashes', '/sqm/*/sqmserver.dll', '/sqm/a/b/sqmserver.dll', true],
    ['* with other case', '/SQM/*/SQMSERVER.DLL', '/sqm/windows/sqmserver.dll', true],
    ['* pattern anchored at the start', '/sqm/*', '/x/sqm/windows', false],
    ['* pattern anchored at the end', '*/manifests', '/sqm/windows/manifests/Sqm7.bin', false],
    ['* alone matches anything', '*', '/anything?q=1', true],
    ['* with query ignored', '/sqm/*/sqmserver.dll', '/sqm/windows/sqmserver.dll?x=y', true],
    ['dot is literal', '/sqm/*/sqmserver.dll', '/sqm/windows/sqmserverXdll', false],
    ['dot is literal without *', '/stage2.htm', '/stage2xhtm', false],
    ['+ is literal', '/a+b/*', '/aab/x', false],
    ['+ matches itself', '/a+b/*', '/a+b/x', true],
    ['( ) | are literal', '/(a|b)/*', '/a/x', false],
    ['( ) | match themselves', '/(a|b)/*', '/(a|b)/x', true],
    ['[ ] are literal', '/[ab]/*', '/a/x', false],
    ['[ ] match themselves', '/[ab]/*', '/[ab]/x', true],
    ['$ ^ are literal', '/$^/*', '/$^/x', true],
    ['{ } are literal', '/a{2}/*', '/aa/x', false],
    ['backslash is literal', '/PersistedCabs\\*', '/PersistedCabs\\1\\2.cab', true],
    ['backslash does not escape', '/a\\*', '/a*', false],
  ])('%s: %s vs %s', (_name, pattern, path, expected) => {
    const e = new ScenarioEngine({ rules: [{ name: 'r', when: { path: pattern } }] });
    expect(e.decide(facts({ path })).ruleName).toBe(expected ? 'r' : null);
  });
});

describe('times', () => {
  const scenario = (): Scenario => ({
    rules: [
      { name: 'two-503', when: { protocol: 'sqm-v1' }, times: 2, respond: { status: 503 } },
      { name: 'then-ok', respond: { status: 200 } },
    ],
  });

  it('applies a rule with times: 2 twice, then falls through to the next rule', () => {
    const e = new ScenarioEngine(scenario());
    expect([1, 2, 3, 4].map(() => e.decide(facts()).ruleName)).toEqual(['two-503', 'two-503', 'then-ok', 'then-ok']);
  });

  it('counts only matching requests', () => {
    const e = new ScenarioEngine(scenario());
    expect(e.decide(facts({ protocol: 'cer' })).ruleName).toBe('then-ok');
    expect(e.decide(facts({ protocol: 'cer' })).ruleName).toBe('then-ok');
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('then-ok');
  });

  it('falls through to the default answer when no later rule matches', () => {
    const e = new ScenarioEngine({ rules: [{ name: 'once', times: 1 }] });
    expect(e.decide(facts()).ruleName).toBe('once');
    expect(e.decide(facts())).toMatchObject({ ruleName: null, respond: null });
  });

  it('keeps a counter per rule', () => {
    const e = new ScenarioEngine({
      rules: [
        { name: 'a', when: { partner: 'a' }, times: 1 },
        { name: 'b', when: { partner: 'b' }, times: 1 },
      ],
    });
    expect(e.decide(facts({ partner: 'a' })).ruleName).toBe('a');
    expect(e.decide(facts({ partner: 'b' })).ruleName).toBe('b');
    expect(e.decide(facts({ partner: 'a' })).ruleName).toBeNull();
    expect(e.decide(facts({ partner: 'b' })).ruleName).toBeNull();
  });

  it('never exhausts a rule without times', () => {
    const e = new ScenarioEngine({ rules: [{ name: 'always' }] });
    for (let i = 0; i < 50; i++) expect(e.decide(facts()).ruleName).toBe('always');
  });

  it('resetCounters() makes exhausted rules apply again', () => {
    const e = new ScenarioEngine(scenario());
    e.decide(facts());
    e.decide(facts());
    expect(e.decide(facts()).ruleName).toBe('then-ok');
    e.resetCounters();
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('then-ok');
  });

  it('replace() installs the new rules with fresh counters', () => {
    const e = new ScenarioEngine(scenario());
    e.decide(facts());
    e.decide(facts());
    const next = scenario();
    e.replace(next);
    expect(e.scenario).toBe(next);
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('two-503');
    expect(e.decide(facts()).ruleName).toBe('then-ok');
  });

  it('replace() with more rules than before counts every one of them', () => {
    const e = new ScenarioEngine({});
    e.replace({
      rules: [
        { name: 'x', when: { partner: 'x' } },
        { name: 'y', times: 1 },
      ],
    });
    expect(e.decide(facts()).ruleName).toBe('y');
    expect(e.decide(facts()).ruleName).toBeNull();
  });
});

describe('partners', () => {
  it.each<[string, Scenario, string, boolean]>([
    ['no partners: any name', {}, 'windows', true],
    ['no partners: odd name', {}, 'anything-at-all', true],
    ['listed partner', { partners: { windows: {} } }, 'windows', true],
    ['listed with a null spec', { partners: { windows: null as never } }, 'windows', true],
    ['unlisted partner', { partners: { windows: {} } }, 'office', false],
    ['names are case-sensitive', { partners: { windows: {} } }, 'Windows', false],
    ['__proto__ is not a partner', { partners: { windows: {} } }, '__proto__', false],
    ['constructor is not a partner', { partners: { windows: {} } }, 'constructor', false],
    ['toString is not a partner', { partners: { windows: {} } }, 'toString', false],
    ['hasOwnProperty is not a partner', { partners: { windows: {} } }, 'hasOwnProperty', false],
    ['empty partners: nobody', { partners: {} }, 'windows', false],
  ])('knowsPartner: %s', (_name, s, partner, known) => {
    expect(new ScenarioEngine(s).knowsPartner(partner)).toBe(known);
  });

  it.each<[string, Scenario, string | null | undefined, number]>([
    ['no partners', {}, 'windows', 20971520],
    ['no partner name', { partners: { windows: { maxUploadBytes: 5 } } }, null, 20971520],
    ['undefined partner name', { partners: { windows: { maxUploadBytes: 5 } } }, undefined, 20971520],
    ['listed without a limit', { partners: { windows: {} } }, 'windows', 20971520],
    ['listed with a null spec', { partners: { windows: null as never } }, 'windows', 20971520],
    ['per-partner override', { partners: { windows: { maxUploadBytes: 1024 } } }, 'windows', 1024],
    ['override is per partner', { partners: { windows: { maxUploadBytes: 1024 }, office: {} } }, 'office', 20971520],
    ['unknown partner', { partners: { windows: { maxUploadBytes: 1024 } } }, 'office', 20971520],
    ['constructor', { partners: { windows: { maxUploadBytes: 1024 } } }, 'constructor', 20971520],
    ['__proto__', { partners: { windows: { maxUploadBytes: 1024 } } }, '__proto__', 20971520],
  ])('maxUploadBytes: %s', (_name, s, partner, expected) => {
    expect(new ScenarioEngine(s).maxUploadBytes(partner)).toBe(expected);
  });

  it('default upload limit is 20 MiB', () => {
    expect(DEFAULT_MAX_UPLOAD_BYTES).toBe(20971520);
  });

  it('partner() gives the listed spec and nothing for inherited Object properties', () => {
    const windows = { manifest: { version: 7 } };
    const e = new ScenarioEngine({ partners: { windows } });
    expect(e.partner('windows')).toBe(windows);
    expect(e.partner('office')).toBeUndefined();
    expect(e.partner(null)).toBeUndefined();
    expect(e.partner('constructor')).toBeUndefined();
    expect(e.partner('__proto__')).toBeUndefined();
    expect(e.partner('toString')).toBeUndefined();
  });
});

describe('strictness', () => {
  it.each<[string, Scenario, string]>([
    ['default', {}, 'strict'],
    ['strict', { strictness: 'strict' }, 'strict'],
    ['lenient', { strictness: 'lenient' }, 'lenient'],
  ])('%s → %s', (_name, s, expected) => {
    expect(new ScenarioEngine(s).strictness).toBe(expected);
  });

  it('follows replace()', () => {
    const e = new ScenarioEngine({ strictness: 'lenient' });
    e.replace({});
    expect(e.strictness).toBe('strict');
  });
});
