// Every A-SQM finding rule, from a package built to break it (MS-SQMCS 2.2.6.1-2.2.6.6): each asserts
// rule@specRef (never message text) and the table's level, and each decoded vector re-encodes exactly.

import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { manifestFromSpec } from './authoring';
import { ASQM_RULES, type AsqmFindingRule } from './rules';
import { bytesOf, fixChecksum, oneRule, oneSet, patch, ruleKeys } from '../../../test/helpers/asqm-manifest-fixtures';
import type { AsqmClause, AsqmManifestPackage, AsqmProperty, AsqmPropertySet, AsqmRule } from './types';

const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');
const seen = new Set<string>();

/** Builds from a valid package after `edit` changes the model (absent lengths are recomputed). */
const edited = (base: () => AsqmManifestPackage, edit: (p: AsqmManifestPackage) => void): Buffer => {
  const p = base();
  edit(p);
  return bytesOf(p);
};
const rule = (p: AsqmManifestPackage): AsqmRule => (p.sections[0] as { rule: AsqmRule }).rule;
const clause = (p: AsqmManifestPackage): AsqmClause => rule(p).clauses[0];
const set = (p: AsqmManifestPackage): AsqmPropertySet => (p.sections[0] as { propertySet: AsqmPropertySet }).propertySet;
const prop = (p: AsqmManifestPackage): AsqmProperty => set(p).properties[0];
const R = bytesOf(oneRule());
const S = bytesOf(oneSet());
const ands = (n: number) => Array.from({ length: n }, (_x, i) => ({ group: 'and' as const, data: i, op: 'dwordEquals' as const, value: 1 }));

const cases: Array<[string, Buffer, string[]]> = [
  // 2.2.6.1 download header
  ['shorter than the download header', R.subarray(0, 10), ['asqm.truncated@2.2.6.1']],
  ['shorter than the A-SQM header', fixChecksum(patch(R.subarray(0, 100), [[4, 100]])), ['asqm.truncated@2.2.6.3']],
  ['another download Signature (decision (a))', patch(R, [[0, 0x12345678]], true), ['asqm.download-signature@2.2.6.1']],
  ['download Length one short', patch(R, [[4, 235]], true), ['asqm.download-length@2.2.6.1']],
  ['download Checksum wrong', patch(R, [[8, R.readUInt32LE(8) + 1]], true), ['asqm.download-checksum@2.2.6.1']],
  [
    'manifest byte changed, checksum not',
    (() => {
      const b = Buffer.from(R);
      b[232] ^= 1;
      return b;
    })(),
    ['asqm.download-checksum@2.2.6.1'],
  ],
  ['download Reserved not 0', patch(R, [[12, 1]], true), ['asqm.download-reserved@2.2.6.1']],
  // 2.2.6.3 A-SQM header
  ['wrong Signature (MSQM instead of note <6>)', patch(R, [[16, 0x4d51534d]]), ['asqm.signature@2.2.6.3']],
  ['Version 0', patch(R, [[20, 0]]), ['asqm.version@2.2.6.3']],
  ['Version 0x00FFFFFF', patch(R, [[20, 0x00ffffff]]), ['asqm.version@2.2.6.3']],
  ['Length longer than the manifest', patch(R, [[24, 300]]), ['asqm.manifest-length@2.2.6.3']],
  ['Length shorter: the section overruns it', patch(R, [[24, 200]]), ['asqm.manifest-length@2.2.6.3', 'asqm.section-overrun@2.2.6.4']],
  ['SectionCount 2 for one section', patch(R, [[28, 2]]), ['asqm.section-count@2.2.6.3']],
  [
    'PartnerName without a null terminator',
    edited(oneRule, (p) => {
      p.header.partnerNameBytes = Buffer.alloc(128, 0x41);
    }),
    ['asqm.string-terminator@2.2.6.3'],
  ],
  // 2.2.6.2 / 2.2.6.4 sections
  ['no sections', bytesOf(manifestFromSpec({ version: 7 }, 'w')), ['asqm.no-sections@2.2.6.4']],
  [
    '3 bytes after the last section',
    edited(oneRule, (p) => {
      p.trailing = Buffer.from([1, 2, 3]);
    }),
    ['asqm.trailing-bytes@2.2.6.2'],
  ],
  ['SectionLength past the end', patch(R, [[168, 1000]]), ['asqm.section-overrun@2.2.6.4']],
  ['unknown SectionType 3', patch(R, [[172, 3]]), ['asqm.section-type@2.2.6.4']],
  // 2.2.6.5.1 rule header
  [
    'a rule section too short for a rule header',
    edited(oneRule, (p) => {
      p.sections = [{ type: 'raw', sectionType: 1, reason: 'undecodable', bytes: Buffer.alloc(16) }];
    }),
    ['asqm.rule-length@2.2.6.5.1'],
  ],
  ['RuleLength not SectionLength', patch(R, [[176, 64]]), ['asqm.rule-length@2.2.6.5.1']],
  [
    'duplicate RuleIdentifier',
    bytesOf(manifestFromSpec({ version: 7, rules: [1, 1].map((id) => ({ id, type: 'report', action: 'werMiniDump', clauses: ands(1) })) }, 'w')),
    ['asqm.duplicate-rule-id@2.2.6.5.1'],
  ],
  ['RuleType 3', patch(R, [[188, 3]]), ['asqm.rule-type@2.2.6.5.1']],
  ['RuleAction 3 (not 1, 2, 4 or 8)', patch(R, [[196, 3]]), ['asqm.rule-action@2.2.6.5.1']],
  ['RuleEvaluationFlag not the OR of the AND bits', patch(R, [[184, 3]]), ['asqm.rule-evaluation-flag@2.2.6.5.1']],
  [
    'a rule without clauses',
    edited(oneRule, (p) => {
      rule(p).clauses = [];
      delete rule(p).ruleEvaluationFlag;
    }),
    ['asqm.no-clauses@2.2.6.5'],
  ],
  // 2.2.6.5.2 clauses
  ['ClauseLength 10', patch(R, [[208, 10]]), ['asqm.clause-length@2.2.6.5.2', 'asqm.no-clauses@2.2.6.5', 'asqm.rule-evaluation-flag@2.2.6.5.1']],
  ['unknown operator 0x6', patch(R, [[224, 6]]), ['asqm.clause-operator@2.2.6.5.2']],
  ['group operator 2', patch(R, [[228, 2]]), ['asqm.group-operator@2.2.6.5.2', 'asqm.rule-evaluation-flag@2.2.6.5.1']],
  [
    'an AND clause with two bits',
    patch(R, [
      [212, 3],
      [184, 3],
    ]),
    ['asqm.evaluation-flag@2.2.6.5.2'],
  ],
  [
    'an OR clause with a bit',
    patch(R, [
      [228, 1],
      [184, 0],
    ]),
    ['asqm.evaluation-flag@2.2.6.5.2'],
  ],
  [
    'two AND clauses with the same bit',
    bytesOf(manifestFromSpec({ version: 7, rules: [{ id: 1, type: 'report', action: 'werMiniDump', clauses: ands(2).map((c) => ({ ...c, bit: 0 })) }] }, 'w')),
    ['asqm.duplicate-evaluation-bit@2.2.6.5.2'],
  ],
  [
    '33 AND clauses',
    bytesOf(manifestFromSpec({ version: 7, rules: [{ id: 1, type: 'report', action: 'werMiniDump', clauses: ands(33) }] }, 'w')),
    ['asqm.and-clause-limit@2.2.6.5.2', 'asqm.evaluation-flag@2.2.6.5.2'],
  ],
  [
    'DWORD operator with an 8-byte operand (decision (b))',
    edited(oneRule, (p) => {
      clause(p).operand = { type: 'qword', value: 1n };
    }),
    ['asqm.clause-operand@2.2.6.5.2'],
  ],
  [
    'In Range with low above high',
    edited(oneRule, (p) => {
      clause(p).operator = 4;
      clause(p).operand = { type: 'range', low: 5, high: 1 };
    }),
    ['asqm.clause-range@2.2.6.5.2'],
  ],
  [
    'String Contains operand without a null terminator',
    edited(oneRule, (p) => {
      clause(p).operator = 5;
      clause(p).operand = { type: 'string', value: 'abcd', bytes: utf16('abcd') };
    }),
    ['asqm.string-terminator@2.2.6.5.2'],
  ],
  // 2.2.6.6 property sets
  [
    'duplicate PropertySetName',
    bytesOf(
      manifestFromSpec(
        {
          version: 7,
          propertySets: [
            { name: 's', properties: { a: '1' } },
            { name: 's', properties: { b: '2' } },
          ],
        },
        'w',
      ),
    ),
    ['asqm.duplicate-property-set@2.2.6.6.1'],
  ],
  [
    'duplicate PropertyKey',
    edited(oneSet, (p) => {
      set(p).properties.push({ key: 'k', value: 'w' });
    }),
    ['asqm.duplicate-property-key@2.2.6.6.2'],
  ],
  [
    'PropertySetName without a null terminator',
    edited(oneSet, (p) => {
      set(p).nameBytes = utf16('abcd');
    }),
    ['asqm.string-terminator@2.2.6.6.1'],
  ],
  [
    'PropertyKey without a null terminator',
    edited(oneSet, (p) => {
      prop(p).keyBytes = utf16('abcd');
    }),
    ['asqm.string-terminator@2.2.6.6.2'],
  ],
  [
    'PropertyValue without a null terminator',
    edited(oneSet, (p) => {
      prop(p).valueBytes = utf16('wxyz');
    }),
    ['asqm.string-terminator@2.2.6.6.2'],
  ],
  [
    'PropertyKey of 4 bytes (not aligned to 8)',
    edited(oneSet, (p) => {
      prop(p).keyBytes = Buffer.from([0x6b, 0, 0, 0]);
    }),
    ['asqm.alignment@2.2.6.6.2'],
  ],
  [
    'non-zero padding after a name',
    edited(oneSet, (p) => {
      set(p).nameBytes = Buffer.from([0x73, 0, 0, 0, 0xff, 0, 0, 0]);
    }),
    ['asqm.padding@2.2.6.6.1'],
  ],
  ['HeaderLength past the section', patch(S, [[176, 200]]), ['asqm.property-set-header-length@2.2.6.6.1']],
  ['PropertySetLength not SectionLength', patch(S, [[180, 50]]), ['asqm.property-set-length@2.2.6.6.1']],
  ['PropertyKeyLength past the set', patch(S, [[196, 1000]]), ['asqm.property-length@2.2.6.6.2']],
  ['PropertyCount 2 for one property', patch(S, [[184, 2]]), ['asqm.property-length@2.2.6.6.2']],
  ['PropertyCount 0 with a property after it', patch(S, [[184, 0]]), ['asqm.property-set-empty@2.2.6.6', 'asqm.property-set-length@2.2.6.6.1']],
  [
    'a property set without properties',
    edited(oneSet, (p) => {
      set(p).properties = [];
    }),
    ['asqm.property-set-empty@2.2.6.6'],
  ],
];

it.each(cases)('%s', (_name, bytes, expected) => {
  const { value, findings } = decodeManifestPackage(bytes);
  findings.forEach((f) => seen.add(f.rule));
  expect(ruleKeys(findings)).toEqual([...expected].sort());
  for (const f of findings) expect(f.level).toBe(ASQM_RULES[f.rule as AsqmFindingRule].level);
  for (const f of findings) if (f.offset !== undefined) expect(f.offset).toBeLessThanOrEqual(bytes.length);
  if (value !== null) expect(encodeManifestPackage(value).equals(bytes)).toBe(true);
});

it('the only packages without a value are those with incomplete headers', () => {
  expect(decodeManifestPackage(R.subarray(0, 167)).value).toBeNull();
  expect(decodeManifestPackage(R.subarray(0, 168)).value).not.toBeNull();
});

it('every rule in the table is exercised above', () => {
  expect([...seen].sort()).toEqual(Object.keys(ASQM_RULES).sort());
});
