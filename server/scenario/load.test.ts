// Scenario loading (INTERFACE.md section 3): YAML and JSON text, syntax errors with line and
// column, validation problems with their path in the document, files, and the shipped scenarios.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockError } from '../errors';
import { ScenarioEngine } from './engine';
import { loadScenarioFile, parseScenario, validateScenario, type Scenario } from '../protocols/scenario';
import { ScenarioError } from './load';

/** Runs `fn`, expecting a ScenarioError; returns it. */
function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e).toBeInstanceOf(MockError);
    expect((e as ScenarioError).code).toBe('SCENARIO_INVALID');
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError, nothing was thrown');
}

/** The document paths named by the problems (`rules[0].when.protocol: expected …` → `rules[0].when.protocol`). */
const pathsOf = (e: ScenarioError): string[] => e.problems.map((p) => p.slice(0, p.indexOf(':')).replace(/ \(line \d+\)$/, ''));

const YAML_TEXT = `
name: flaky-then-ok
seed: 42
strictness: lenient
partners:
  windows:
    maxUploadBytes: 1048576
    manifest: { version: 7, expires: "2030-01-01T00:00:00Z" }
  office:
rules:
  - name: two-503
    when: { protocol: sqm-v1, partner: windows }
    times: 2
    respond:
      status: 503
      headers: { Retry-After: "5" }
  - when: { path: "/sqm/*/sqmserver.dll", method: post }
    respond:
      sqm: { throttleInterval: 7, manifestVersion: 3, fixedThrottle: false }
`;

const EXPECTED: Scenario = {
  name: 'flaky-then-ok',
  seed: 42,
  strictness: 'lenient',
  partners: {
    windows: { maxUploadBytes: 1048576, manifest: { version: 7, expires: '2030-01-01T00:00:00Z' } },
    office: null as never,
  },
  rules: [
    { name: 'two-503', when: { protocol: 'sqm-v1', partner: 'windows' }, times: 2, respond: { status: 503, headers: { 'Retry-After': '5' } } },
    {
      when: { path: '/sqm/*/sqmserver.dll', method: 'post' },
      respond: { sqm: { throttleInterval: 7, manifestVersion: 3, fixedThrottle: false } },
    },
  ],
};

describe('parseScenario', () => {
  it.each<[string, string, Scenario]>([
    ['YAML', YAML_TEXT, EXPECTED],
    ['JSON', JSON.stringify(EXPECTED, null, 2), EXPECTED],
    ['JSON on one line', JSON.stringify(EXPECTED), EXPECTED],
    ['empty text', '', {}],
    ['only a comment', '# nothing yet\n', {}],
    ['empty JSON object', '{}', {}],
  ])('%s', (_name, text, expected) => {
    expect(parseScenario(text, 'test.yaml')).toEqual(expected);
  });

  it('gives a scenario the engine runs', () => {
    const e = new ScenarioEngine(parseScenario(YAML_TEXT));
    const facts = { protocol: 'sqm-v1', method: 'POST', path: '/sqm/windows/sqmserver.dll', partner: 'windows' };
    expect([1, 2, 3].map(() => e.decide(facts).ruleName)).toEqual(['two-503', 'two-503', 'rules[1]']);
    expect(e.strictness).toBe('lenient');
    expect(e.maxUploadBytes('windows')).toBe(1048576);
    expect(e.knowsPartner('office')).toBe(true);
    expect(e.knowsPartner('xbox')).toBe(false);
  });

  it.each<[string, string, number]>([
    ['YAML: bad indentation', 'rules:\n  - name: a\n   when: {}\n', 3],
    ['YAML: unclosed flow sequence', 'name: x\nrules: [ { name: a }\n', 3],
    ['YAML: tab indentation', 'rules:\n\t- name: a\n', 2],
    ['YAML: two documents', 'name: x\n---\nname: y\n', 2],
    ['JSON: duplicate key', '{\n  "name": "a",\n  "name": "b"\n}', 3],
    ['JSON: missing closing brace', '{\n  "rules": [\n    { "name": "a" ]\n}\n', 3],
  ])('syntax error (%s) reports line %i, a column and the source name', (_name, text, line) => {
    const e = scenarioError(() => parseScenario(text, 'scenarios/broken.yaml'));
    expect(e.source).toBe('scenarios/broken.yaml');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(new RegExp(`^line ${line}, column \\d+: \\S`));
    expect(e.message).toMatch(/^scenarios\/broken\.yaml: line \d+, column \d+: /);
    expect(e.message).not.toContain('\n');
  });

  it('refuses a YAML alias bomb ("billion laughs") naming the alias limit; a few aliases are fine', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, c] of [...'bcdefghi'].entries()) levels.push(`${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    const e = scenarioError(() => parseScenario(levels.join('\n'), 'laughs.yaml'));
    expect(e.problems).toEqual([expect.stringMatching(/^document: YAML aliases expand more than 100 times in all \(alias limit; /)]);
    expect(parseScenario('name: &n x\nrules: [{ name: *n }]\n', 'ok.yaml')).toEqual({ name: 'x', rules: [{ name: 'x' }] });
  });

  it('names the source "scenario" when none is given', () => {
    expect(scenarioError(() => parseScenario('a: [')).message).toMatch(/^scenario: line \d+, column \d+/);
  });

  it('validates what it parsed, naming the source', () => {
    const e = scenarioError(() => parseScenario('strictness: loose\n', 'mine.yaml'));
    expect(e.source).toBe('mine.yaml');
    expect(pathsOf(e)).toEqual(['strictness']);
    expect(e.message).toMatch(/^mine\.yaml: strictness \(line 1\): /);
  });
});

describe('validateScenario', () => {
  it.each<[string, unknown]>([
    ['empty', {}],
    ['strict', { strictness: 'strict' }],
    ['lenient', { strictness: 'lenient' }],
    ['every protocol name', { rules: ['sqm-v1', 'sqm-v2', 'asqm-manifest', 'ceip', 'cer', 'cer-level2', 'relay'].map((protocol) => ({ when: { protocol } })) }],
    ['manifest version 1', { partners: { w: { manifest: { version: 1 } } } }],
    ['manifest version 0xFFFFFFFF', { partners: { w: { manifest: { version: 0xffffffff } } } }],
    ['status 100 and 599', { rules: [{ respond: { status: 100 } }, { respond: { status: 599 } }] }],
    ['a partner listed with no spec', { partners: { w: null } }],
    ['keys of protocols still to come', { tokens: { lifetimeSeconds: 10 }, cer: { firstBucket: 100 }, rules: [{ when: { eventType: 'x' }, respond: { fault: 'reset' } }] }],
  ])('accepts %s', (_name, value) => {
    expect(validateScenario(value)).toEqual(value);
  });

  it.each<[string, unknown, string[], RegExp]>([
    ['root is a list', [1, 2], ['(root)'], /a mapping, got a list/],
    ['root is a string', 'rules', ['(root)'], /a mapping, got "rules"/],
    ['root is null', null, ['(root)'], /a mapping, got null/],
    ['strictness', { strictness: 'loose' }, ['strictness'], /"strict", "lenient", got "loose"/],
    ['partners not a mapping', { partners: ['windows'] }, ['partners'], /a mapping, got a list/],
    ['partner not a mapping', { partners: { windows: 5 } }, ['partners.windows'], /a mapping, got 5/],
    ['maxUploadBytes 0', { partners: { windows: { maxUploadBytes: 0 } } }, ['partners.windows.maxUploadBytes'], /≥ 1, got 0/],
    ['maxUploadBytes string', { partners: { windows: { maxUploadBytes: '1MB' } } }, ['partners.windows.maxUploadBytes'], /a number, got "1MB"/],
    ['manifest version 0', { partners: { windows: { manifest: { version: 0 } } } }, ['partners.windows.manifest.version'], /other than 0 and 0x00FFFFFF.*got 0$/],
    ['manifest version 0x00FFFFFF', { partners: { windows: { manifest: { version: 0x00ffffff } } } }, ['partners.windows.manifest.version'], /0x00FFFFFF/],
    ['manifest version 2^32', { partners: { windows: { manifest: { version: 2 ** 32 } } } }, ['partners.windows.manifest.version'], /≤ 4294967295, got 4294967296$/],
    ['manifest version missing', { partners: { windows: { manifest: { expires: 'x' } } } }, ['partners.windows.manifest.version'], /a number, got undefined$/],
    ['manifest version a string', { partners: { windows: { manifest: { version: '7' } } } }, ['partners.windows.manifest.version'], /a number, got "7"$/],
    ['manifest not a mapping', { partners: { windows: { manifest: 7 } } }, ['partners.windows.manifest'], /a mapping, got 7/],
    ['rules not a list', { rules: { name: 'a' } }, ['rules'], /a list, got a mapping/],
    ['rule not a mapping', { rules: ['a'] }, ['rules[0]'], /a mapping, got "a"/],
    ['rule name', { rules: [{ name: 5 }] }, ['rules[0].name'], /a string, got 5/],
    ['times 0', { rules: [{ times: 0 }] }, ['rules[0].times'], /≥ 1, got 0/],
    ['times 1.5', { rules: [{ times: 1.5 }] }, ['rules[0].times'], /an integer, got 1.5/],
    ['when not a mapping', { rules: [{ when: 'sqm-v1' }] }, ['rules[0].when'], /a mapping, got "sqm-v1"/],
    ['when.protocol', { rules: [{ when: { protocol: 'http' } }] }, ['rules[0].when.protocol'], /one of "sqm-v1", .*"relay", got "http"/],
    ['when.protocol case', { rules: [{ when: { protocol: 'SQM-V1' } }] }, ['rules[0].when.protocol'], /one of/],
    ['when.method a number', { rules: [{ when: { method: 5 } }] }, ['rules[0].when.method'], /a string, got 5/],
    ['when.path a number', { rules: [{ when: { path: 404 } }] }, ['rules[0].when.path'], /a string, got 404/],
    ['when.partner a number', { rules: [{ when: { partner: 123 } }] }, ['rules[0].when.partner'], /a string, got 123/],
    ['respond not a mapping', { rules: [{ respond: 503 }] }, ['rules[0].respond'], /a mapping, got 503/],
    ['status 99', { rules: [{ respond: { status: 99 } }] }, ['rules[0].respond.status'], /≥ 100, got 99$/],
    ['status 600', { rules: [{ respond: { status: 600 } }] }, ['rules[0].respond.status'], /≤ 599, got 600/],
    ['status a string', { rules: [{ respond: { status: '503' } }] }, ['rules[0].respond.status'], /a number, got "503"/],
    ['body a number', { rules: [{ respond: { body: 5 } }] }, ['rules[0].respond.body'], /a string, got 5/],
    ['headers a list', { rules: [{ respond: { headers: ['a'] } }] }, ['rules[0].respond.headers'], /a mapping, got a list/],
    ['sqm not a mapping', { rules: [{ respond: { sqm: 1 } }] }, ['rules[0].respond.sqm'], /a mapping, got 1/],
    ['sqm.throttleInterval', { rules: [{ respond: { sqm: { throttleInterval: -1 } } }] }, ['rules[0].respond.sqm.throttleInterval'], /≥ 0, got -1/],
    ['sqm.manifestVersion', { rules: [{ respond: { sqm: { manifestVersion: 'x' } } }] }, ['rules[0].respond.sqm.manifestVersion'], /a number, got "x"/],
    ['sqm.fixedThrottle', { rules: [{ respond: { sqm: { fixedThrottle: 'yes' } } }] }, ['rules[0].respond.sqm.fixedThrottle'], /true or false, got "yes"/],
    // MS-SQMCS 3.1.5.2.2: a 201 MUST carry ThrottleInterval and/or ManifestVersion; these would send an empty 201.
    [
      'sqm with no value (an empty 201)',
      { rules: [{ respond: { sqm: {} } }] },
      ['rules[0].respond.sqm'],
      /throttleInterval, a manifestVersion number or fixedThrottle: true .*3\.1\.5\.2\.2/,
    ],
    ['sqm with manifestVersion null alone', { rules: [{ respond: { sqm: { manifestVersion: null } } }] }, ['rules[0].respond.sqm'], /MS-SQMCS 3\.1\.5\.2\.2/],
    ['sqm with fixedThrottle false alone', { rules: [{ respond: { sqm: { fixedThrottle: false } } }] }, ['rules[0].respond.sqm'], /MS-SQMCS 3\.1\.5\.2\.2/],
  ])('refuses %s', (_name, value, paths, expected) => {
    const e = scenarioError(() => validateScenario(value, 'doc.json'));
    expect(pathsOf(e)).toEqual(paths);
    expect(e.problems[0]).toMatch(/: expected /);
    expect(e.problems[0]).toMatch(expected);
    expect(e.source).toBe('doc.json');
  });

  it('names the index of the bad rule', () => {
    const e = scenarioError(() => validateScenario({ rules: [{ respond: { status: 200 } }, {}, { respond: { status: 1000 } }] }));
    expect(pathsOf(e)).toEqual(['rules[2].respond.status']);
  });

  it('reports several problems in one error, in document order', () => {
    const e = scenarioError(() =>
      parseScenario(
        [
          'strictness: sometimes',
          'partners:',
          '  windows:',
          '    manifest: { version: 0 }',
          'rules:',
          '  - when: { protocol: http }',
          '  - name: ok',
          '  - respond: { status: 42 }',
        ].join('\n'),
        'multi.yaml',
      ),
    );
    expect(pathsOf(e)).toEqual(['strictness', 'partners.windows.manifest.version', 'rules[0].when.protocol', 'rules[2].respond.status']);
    for (const p of ['strictness', 'partners.windows.manifest.version', 'rules[0].when.protocol', 'rules[2].respond.status']) {
      expect(e.message).toContain(p);
    }
    expect(e.message).toMatch(/^multi\.yaml: /);
    expect(e.message).not.toContain('\n');
  });

  it('reports several problems in one rule', () => {
    const e = scenarioError(() => validateScenario({ rules: [{ name: 1, times: -1, when: { protocol: 'x' }, respond: { status: 0 } }] }));
    expect(pathsOf(e).sort()).toEqual(['rules[0].name', 'rules[0].respond.status', 'rules[0].times', 'rules[0].when.protocol']);
  });
});

describe('loadScenarioFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-load-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, string]>([
    ['a.yaml', YAML_TEXT],
    ['a.json', JSON.stringify(EXPECTED)],
  ])('reads %s', (name, text) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    expect(loadScenarioFile(file)).toEqual(EXPECTED);
  });

  it('names the file and ENOENT when the file is missing', () => {
    const file = path.join(dir, 'missing.yaml');
    const e = scenarioError(() => loadScenarioFile(file));
    expect(e.source).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toContain('ENOENT');
  });

  it('names the file on a syntax error', () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'name: x\nrules: [\n');
    const e = scenarioError(() => loadScenarioFile(file));
    expect(e.source).toBe(file);
    expect(e.message.startsWith(`${file}: line `)).toBe(true);
  });

  it('names the file on a validation problem', () => {
    const file = path.join(dir, 'invalid.json');
    fs.writeFileSync(file, '{ "rules": [ { "respond": { "status": 7 } } ] }');
    const e = scenarioError(() => loadScenarioFile(file));
    expect(e.message.startsWith(`${file}: rules[0].respond.status (line 1): expected `)).toBe(true);
  });
});

describe('shipped scenarios', () => {
  const folder = path.resolve(__dirname, '../../scenarios');
  const files = fs.existsSync(folder)
    ? fs
        .readdirSync(folder)
        .filter((f) => /\.(ya?ml|json)$/i.test(f))
        .sort()
    : [];

  if (files.length === 0) {
    it.skip(`no scenario files in ${folder} yet: nothing to validate`, () => undefined);
  } else {
    it.each(files)('%s loads and validates', (file) => {
      const scenario = loadScenarioFile(path.join(folder, file));
      expect(typeof scenario).toBe('object');
      // The engine takes it as it is.
      expect(() => new ScenarioEngine(scenario).decide({ protocol: 'sqm-v1', method: 'POST', path: '/', partner: 'windows' })).not.toThrow();
    });
  }
});
