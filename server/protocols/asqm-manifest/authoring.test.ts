// Authoring A-SQM manifests (MS-SQMCS 2.2.6) in YAML: fixtures go YAML → bin → YAML unchanged, invalid
// manifests are refused naming the bad field's path, and the bytes served for a partner's manifest URL.

import Ajv2020 from 'ajv/dist/2020';
import YAML from 'yaml';
import { z } from 'zod';
import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { assignBits, manifestBytesFor, manifestFromYaml } from './authoring';
import { manifestToYaml } from './to-yaml';
import { AsqmManifestSchema } from './schema';
import { ManifestError, validateManifestSpec } from './validate';
import { filetimeFromIso, filetimeToIsoExact } from './dates';
import { FIXTURE_NAMES, fixtureData, fixtureText } from '../../../test/helpers/asqm-manifest-fixtures';
import type { AsqmRuleSection } from './types';

const throughBytes = (doc: unknown, partner?: string): string => {
  const { value, findings } = decodeManifestPackage(encodeManifestPackage(manifestFromYaml(doc, { partner })));
  expect(findings).toEqual([]);
  return manifestToYaml(value!);
};
const manifestError = (fn: () => unknown): ManifestError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error('expected a ManifestError');
};
const pathsOf = (e: ManifestError): string[] => e.problems.map((p) => p.split(/[ :]/)[0]);

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  it('YAML → bin → YAML is the identity', () => {
    expect(YAML.parse(throughBytes(fixtureText(name)))).toEqual(fixtureData(name));
  });
  it('the YAML form is stable text', () => {
    const once = throughBytes(fixtureText(name));
    expect(throughBytes(once)).toBe(once);
  });
});

describe('manifestFromYaml', () => {
  const rule = { id: 1, type: 'report', action: 'werMiniDump', clauses: [{ group: 'and', data: 1, op: 'dwordEquals', value: 1 }] };

  it('takes PartnerName from the option unless the manifest has `partner`', () => {
    expect(manifestFromYaml({ version: 7, rules: [rule] }, { partner: 'windows' }).header.partnerName).toBe('windows');
    expect(manifestFromYaml({ version: 7, partner: 'other', rules: [rule] }, { partner: 'windows' }).header.partnerName).toBe('other');
  });
  it('reads a scenario document: partners.<p>.manifest, p from the option or the only one', () => {
    const scenario = { partners: { windows: { manifest: { version: 7, rules: [rule] } }, office: null } };
    expect(manifestFromYaml(scenario).header).toMatchObject({ version: 7, partnerName: 'windows' });
    const two = { partners: { a: { manifest: { version: 1 } }, b: { manifest: { version: 2 } } } };
    expect(manifestFromYaml(two, { partner: 'b' }).header.version).toBe(2);
    expect(pathsOf(manifestError(() => manifestFromYaml(two)))).toEqual(['partners']);
    expect(pathsOf(manifestError(() => manifestFromYaml(two, { partner: 'c' })))).toEqual(['partners']);
    const bad = { partners: { w: { manifest: { version: 7, rules: [{ ...rule, type: 'x' }] } } } };
    expect(pathsOf(manifestError(() => manifestFromYaml(bad)))).toEqual(['partners.w.manifest.rules[0].type']);
  });
  it('assigns AND bits in order around explicit ones; OR clauses get 0', () => {
    expect(assignBits([{ group: 'and' }, { group: 'or' }, { group: 'and', bit: 0 }, { group: 'and' }])).toEqual([1, undefined, 0, 2]);
    const m = manifestFromYaml({
      version: 7,
      partner: 'w',
      rules: [
        {
          ...rule,
          clauses: [
            { group: 'and', data: 1, op: 'dwordEquals', value: 1 },
            { group: 'or', data: 2, op: 'dwordEquals', value: 1 },
            { group: 'and', data: 3, op: 'dwordEquals', value: 1, bit: 0 },
          ],
        },
      ],
    });
    const r = (m.sections[0] as AsqmRuleSection).rule;
    expect(r.clauses.map((c) => c.evaluationFlag)).toEqual([2, 0, 1]);
    expect(r.ruleEvaluationFlag).toBe(3);
  });
  it('`raw` (base64) is the package as is', () => {
    const bytes = encodeManifestPackage(manifestFromYaml(fixtureText('two-rules.yaml')));
    const m = manifestFromYaml({ version: 7, raw: bytes.toString('base64') });
    expect(encodeManifestPackage(m).equals(bytes)).toBe(true);
    expect(pathsOf(manifestError(() => manifestFromYaml({ version: 7, raw: 'AAAA' })))).toEqual(['raw']);
  });
  it('a YAML syntax error is one line naming line and column', () => {
    const e = manifestError(() => manifestFromYaml('version: [7\n', { source: 'm.yaml' }));
    expect(e.message).toMatch(/^m\.yaml: line \d+, column \d+: /);
    expect(e.message).not.toContain('\n');
  });
  it('problems in YAML text name their line', () => {
    const e = manifestError(() => manifestFromYaml('version: 7\npartner: w\nrules:\n  - id: 1\n    type: report\n    action: nuke\n    clauses: []\n', { source: 'm.yaml' }));
    expect(e.problems).toEqual([
      'rules[0].action (line 6): expected one of "callback", "werMiniDump", "werMicroDump", "werHeapDump", got "nuke"',
      'rules[0].clauses (line 7): expected at least 1 item(s), got a list',
    ]);
    expect(e.message).toMatch(/^m\.yaml: rules\[0\]\.action \(line 6\)/);
  });
  it('refuses a manifest without any partner name', () => {
    expect(pathsOf(manifestError(() => manifestFromYaml({ version: 7 })))).toEqual(['partner']);
    expect(pathsOf(manifestError(() => manifestFromYaml({ version: 7 }, { partner: 'p'.repeat(64) })))).toEqual(['partner']);
  });
});

describe('invalid manifests are refused with the path of the bad field', () => {
  const c = (over: Record<string, unknown>) => ({ group: 'and', data: 1, op: 'dwordEquals', value: 1, ...over });
  const r = (over: Record<string, unknown>) => ({ id: 1, type: 'callback', action: 'callback', clauses: [c({})], ...over });
  const m = (over: Record<string, unknown>) => ({ version: 7, partner: 'w', ...over });
  it.each<[string, unknown, string[], RegExp]>([
    ['not a mapping', [1], ['(root)'], /expected a mapping, got a list/],
    ['version 0', m({ version: 0 }), ['version'], /other than 0 and 0x00FFFFFF.*got 0$/],
    ['version 0x00FFFFFF', m({ version: 0x00ffffff }), ['version'], /0x00FFFFFF/],
    ['version a string', m({ version: '7' }), ['version'], /expected a number, got "7"$/],
    ['an unknown key', m({ rulez: [] }), ['(root)'], /unknown key "rulez"/],
    ['expires not a date', m({ expires: 'tomorrow' }), ['expires'], /ISO 8601.*got "tomorrow"$/],
    ['expires Feb 30', m({ expires: '2030-02-30' }), ['expires'], /ISO 8601/],
    ['expires without a time zone', m({ expires: '2030-01-01T00:00:00' }), ['expires'], /ISO 8601/],
    ['partner of 64 units', m({ partner: 'p'.repeat(64) }), ['partner'], /at most 63/],
    [
      'an unknown operator',
      m({ rules: [r({}), r({ id: 2, clauses: [c({ op: 'dwordEqual' })] })] }),
      ['rules[1].clauses[0].op'],
      /expected one of "dwordEquals", .*got "dwordEqual"$/,
    ],
    ['an unknown group', m({ rules: [r({ clauses: [c({ group: 'xor' })] })] }), ['rules[0].clauses[0].group'], /"and", "or", got "xor"/],
    ['an unknown type', m({ rules: [r({ type: 'callbak' })] }), ['rules[0].type'], /"callback", "report"/],
    ['a rule without clauses', m({ rules: [r({ clauses: [] })] }), ['rules[0].clauses'], /at least 1/],
    ['duplicate rule ids', m({ rules: [r({}), r({})] }), ['rules[1].id'], /not used by rules\[0\].*got 1$/],
    ['a rule id above 2^32', m({ rules: [r({ id: 2 ** 32 })] }), ['rules[0].id'], /≤ 4294967295/],
    ['two AND clauses with bit 3', m({ rules: [r({ clauses: [c({ bit: 3 }), c({ bit: 3 })] })] }), ['rules[0].clauses[1].bit'], /not used by clauses\[0\].*got 3$/],
    ['bit 32', m({ rules: [r({ clauses: [c({ bit: 32 })] })] }), ['rules[0].clauses[0].bit'], /≤ 31/],
    ['a bit on an OR clause', m({ rules: [r({ clauses: [c({ group: 'or', bit: 1 })] })] }), ['rules[0].clauses[0].bit'], /no bit on an OR clause/],
    ['33 AND clauses', m({ rules: [r({ clauses: Array.from({ length: 33 }, () => c({})) })] }), ['rules[0].clauses'], /at most 32 AND clauses.*got 33$/],
    ['dwordEquals without a value', m({ rules: [r({ clauses: [c({ value: undefined })] })] }), ['rules[0].clauses[0].value'], /a DWORD .* for dwordEquals, got undefined/],
    ['dwordLessThan with a string', m({ rules: [r({ clauses: [c({ op: 'dwordLessThan', value: '5' })] })] }), ['rules[0].clauses[0].value'], /a DWORD/],
    ['dwordGreaterThan with low', m({ rules: [r({ clauses: [c({ op: 'dwordGreaterThan', low: 1 })] })] }), ['rules[0].clauses[0].low'], /no `low` with dwordGreaterThan/],
    ['dwordInRange without high', m({ rules: [r({ clauses: [c({ op: 'dwordInRange', value: undefined, low: 1 })] })] }), ['rules[0].clauses[0].high'], /high bound/],
    [
      'dwordInRange with low above high',
      m({ rules: [r({ clauses: [c({ op: 'dwordInRange', value: undefined, low: 5, high: 1 })] })] }),
      ['rules[0].clauses[0].high'],
      /high ≥ low/,
    ],
    ['stringContains with a number', m({ rules: [r({ clauses: [c({ op: 'stringContains', value: 5 })] })] }), ['rules[0].clauses[0].value'], /a string for stringContains, got 5$/],
    ['stringContains with a NUL', m({ rules: [r({ clauses: [c({ op: 'stringContains', value: 'a\0b' })] })] }), ['rules[0].clauses[0].value'], /without NUL/],
    ['qwordEquals of 2^64', m({ rules: [r({ clauses: [c({ op: 'qwordEquals', value: '18446744073709551616' })] })] }), ['rules[0].clauses[0].value'], /a QWORD/],
    ['qwordEquals above 2^53 as a number', m({ rules: [r({ clauses: [c({ op: 'qwordEquals', value: 2 ** 60 })] })] }), ['rules[0].clauses[0].value'], /a QWORD/],
    ['rule expires not a date', m({ rules: [r({ expires: '2030-13-01' })] }), ['rules[0].expires'], /ISO 8601/],
    [
      'duplicate property set names',
      m({
        propertySets: [
          { name: 's', properties: { a: '1' } },
          { name: 's', properties: { b: '1' } },
        ],
      }),
      ['propertySets[1].name'],
      /not used by propertySets\[0\]/,
    ],
    ['a property value that is a number', m({ propertySets: [{ name: 's', properties: { Upload: 1 } }] }), ['propertySets[0].properties.Upload'], /expected a string, got 1$/],
    ['a property set without properties', m({ propertySets: [{ name: 's', properties: {} }] }), ['propertySets[0].properties'], /at least 1 property/],
    ['raw beside rules', m({ raw: 'AAAA', rules: [r({})] }), ['partner', 'rules'], /beside `raw`/],
    ['raw not base64', { version: 7, raw: '%%%' }, ['raw'], /base64/],
  ])('%s', (_name, doc, paths, expected) => {
    const e = manifestError(() => manifestFromYaml(doc, { source: 'doc.yaml' }));
    expect(pathsOf(e)).toEqual(paths);
    expect(e.problems[0]).toMatch(/: (expected |unknown key)/);
    expect(e.problems[0]).toMatch(expected);
    expect(e.code).toBe('MANIFEST_INVALID');
    expect(e.message).toMatch(/^doc\.yaml: /);
  });
});

describe('AsqmManifestSchema in the scenario (partners.<p>.manifest)', () => {
  it.each<[string, unknown]>([
    ['a version alone', { version: 1 }],
    ['version 0xFFFFFFFF', { version: 0xffffffff }],
    ['empty lists', { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] }],
    ['the README example', { version: 7, expires: '2030-01-01T00:00:00Z', propertySets: [{ name: 'settings', properties: { Upload: '1' } }] }],
    ['a fixture', fixtureData('two-rules.yaml')],
  ])('accepts %s, unchanged', (_name, doc) => {
    expect(AsqmManifestSchema.parse(doc)).toEqual(doc);
  });
  it('a missing version is the only problem reported (cross-field checks wait for a sound shape)', () => {
    expect(pathsOf(manifestError(() => validateManifestSpec({ expires: 'x' })))).toEqual(['version']);
  });
  it('converts to JSON Schema (for schema/scenario.schema.json)', () => {
    const json = z.toJSONSchema(AsqmManifestSchema, { target: 'draft-2020-12', io: 'input' }) as { required?: string[]; properties?: object };
    expect(json.required).toEqual(['version']);
    expect(Object.keys(json.properties ?? {})).toEqual(['version', 'expires', 'partner', 'rules', 'propertySets', 'raw']);
  });
  it('its JSON Schema compiles in Ajv strict mode (as schema/scenario.schema.json is tested) and accepts the fixtures', () => {
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(z.toJSONSchema(AsqmManifestSchema, { target: 'draft-2020-12', io: 'input' }));
    for (const name of FIXTURE_NAMES) expect(validate(fixtureData(name))).toBe(true);
    expect(validate({ version: 7, rulez: [] })).toBe(false);
  });
});

describe('manifestBytesFor (hosting /sqm/<partner>/manifests/Sqm<version>.bin)', () => {
  const spec = AsqmManifestSchema.parse({ version: 7, expires: '2030-01-01T00:00:00Z', propertySets: [{ name: 'settings', properties: { Upload: '1' } }] });
  it('null without a manifest or for another version', () => {
    expect(manifestBytesFor(undefined, { partner: 'windows', version: 7 })).toBeNull();
    expect(manifestBytesFor(spec, { partner: 'windows', version: 6 })).toBeNull();
  });
  it('the package, PartnerName from the URL', () => {
    const { value, findings } = decodeManifestPackage(manifestBytesFor(spec, { partner: 'windows', version: 7 })!);
    expect(findings).toEqual([]);
    expect(value!.header).toMatchObject({ version: 7, partnerName: 'windows', expirationTime: filetimeFromIso('2030-01-01T00:00:00Z') });
  });
  it('a version alone serves an empty manifest (a warning on decoding, never a throw)', () => {
    const { findings } = decodeManifestPackage(manifestBytesFor({ version: 7 }, { partner: 'p'.repeat(80), version: 7 })!);
    expect(findings.map((f) => f.rule)).toEqual(['asqm.no-sections']);
  });
  it('`raw` byte for byte, even when it is no package', () => {
    expect(manifestBytesFor({ version: 7, raw: 'AAEC' }, { partner: 'w', version: 7 })).toEqual(Buffer.from([0, 1, 2]));
  });
});

describe('dates ↔ FILETIME', () => {
  it.each<[string, bigint]>([
    ['1601-01-01T00:00:00Z', 0n],
    ['1970-01-01T00:00:00Z', 116444736000000000n],
    ['2030-01-01T00:00:00Z', 135379296000000000n],
    ['2030-01-01T00:00:00.5Z', 135379296005000000n],
    ['2030-01-01T00:00:00.1234567Z', 135379296001234567n],
  ])('%s = %s', (iso, ft) => {
    expect(filetimeFromIso(iso)).toBe(ft);
    expect(filetimeToIsoExact(ft)).toBe(iso);
  });
  it('accepts a date alone and offsets', () => {
    expect(filetimeFromIso('2030-01-01')).toBe(135379296000000000n);
    expect(filetimeFromIso('2030-01-01T02:00:00+02:00')).toBe(135379296000000000n);
  });
  it.each(['2030-02-29', '2030-04-31', '2030-01-01T24:00:00Z', '2030-01-01T00:00', '1600-12-31T23:59:59Z', '30-01-01', ''])('refuses %j', (s) => {
    expect(filetimeFromIso(s)).toBeNull();
  });
  it('every FILETIME has an exact ISO form, up to 2^64 - 1', () => {
    for (const ft of [1n, 9999n, 10000n, (1n << 63n) + 12345n, (1n << 64n) - 1n]) expect(filetimeFromIso(filetimeToIsoExact(ft))).toBe(ft);
  });
});
