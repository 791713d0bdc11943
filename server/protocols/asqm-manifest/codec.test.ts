// The A-SQM package codec on valid packages (MS-SQMCS 2.2.6): a hand-written golden vector, exact round
// trips, the download header's Length and Checksum (note <5>), and decision (d)'s 8-byte alignment.

import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { manifestFromYaml } from './authoring';
import { FIXTURE_NAMES, bytesOf, fixtureText, oneRule, oneSet } from '../../../test/helpers/asqm-manifest-fixtures';
import type { AsqmPropertySetSection, AsqmRuleSection } from './types';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const u32 = (b: Buffer, at: number): number => b.readUInt32LE(at);
const fromFixture = (name: string): Buffer => encodeManifestPackage(manifestFromYaml(fixtureText(name), { source: name }));

/** Note <5> as written: DWORD c = 0; for each byte: c = c * 101 + b (kept to 32 bits). */
function note5(bytes: Buffer): number {
  let c = 0n;
  for (const b of bytes) c = (c * 101n + BigInt(b)) & 0xffffffffn;
  return Number(c);
}

describe('golden: one property set "s" with k = v', () => {
  const partner = Buffer.alloc(128);
  partner.write('windows', 'utf16le');
  const manifest = Buffer.concat([
    hex('53514d41 07000000 cc000000 01000000 0000000000000000'), // Signature 0x414D5153, Version 7, Length 204, SectionCount 1, ExpirationTime 0
    partner,
    hex('2c000000 02000000'), // SectionLength 44, then SectionType 2 (2.2.6.4: Length first)
    hex('14000000 2c000000 01000000 7300000000000000'), // HeaderLength 20, PropertySetLength 44, PropertyCount 1, "s" padded to 8
    hex('08000000 08000000 6b00000000000000 7600000000000000'), // key and value lengths, "k", "v"
  ]);
  const golden = Buffer.concat([hex('53514d41 dc000000'), Buffer.from(new Uint32Array([note5(manifest), 0]).buffer), manifest]);

  it('encodes to the hand-written bytes', () => expect(bytesOf(oneSet()).toString('hex')).toBe(golden.toString('hex')));
  it('decodes without findings and back to the same bytes', () => {
    const { value, findings, bytesRead } = decodeManifestPackage(golden);
    expect(findings).toEqual([]);
    expect(bytesRead).toBe(220);
    expect(value?.header).toMatchObject({ signature: 0x414d5153, version: 7, length: 204, sectionCount: 1, expirationTime: 0n, partnerName: 'windows' });
    expect((value?.sections[0] as AsqmPropertySetSection).propertySet).toMatchObject({ name: 's', propertyCount: 1, properties: [{ key: 'k', value: 'v' }] });
    expect(encodeManifestPackage(value!).equals(golden)).toBe(true);
  });
});

describe.each(FIXTURE_NAMES)('%s', (name) => {
  const bytes = fromFixture(name);
  const { value, findings } = decodeManifestPackage(bytes);

  it('decodes without findings', () => expect(findings).toEqual([]));
  it('re-encodes to the same bytes, also with every length recomputed', () => {
    expect(encodeManifestPackage(value!).equals(bytes)).toBe(true);
    expect(encodeManifestPackage(value!, { recompute: true }).equals(bytes)).toBe(true);
  });
  it('download header: Signature, Length (all inclusive), Checksum over the manifest (note <5>), Reserved 0', () => {
    expect(u32(bytes, 0)).toBe(0x414d5153);
    expect(u32(bytes, 4)).toBe(bytes.length);
    expect(u32(bytes, 8)).toBe(note5(bytes.subarray(16)));
    expect(u32(bytes, 12)).toBe(0);
  });
  it('manifest header: Length = the bytes after the download header, SectionCount = sections', () => {
    expect(u32(bytes, 16 + 8)).toBe(bytes.length - 16);
    expect(u32(bytes, 16 + 12)).toBe(value!.sections.length);
  });
  it('sections tile the manifest: each SectionLength leads to the next header', () => {
    let at = 168;
    for (let i = 0; i < value!.sections.length; i++) at += 8 + u32(bytes, at);
    expect(at).toBe(bytes.length);
  });
});

describe('alignment (decision (d)) on odd-length strings: property-sets.yaml', () => {
  const b = fromFixture('property-sets.yaml');
  const str = (at: number, len: number): string => {
    const s = b.subarray(at, at + len);
    let end = 0;
    while (end + 1 < s.length && (s[end] !== 0 || s[end + 1] !== 0)) end += 2; // the terminator is a whole UTF-16 unit
    return s.subarray(0, end).toString('utf16le');
  };
  /** [offset of PropertyKeyLength, key, key field bytes, value, value field bytes] */
  const props: Array<[number, string, number, string, number]> = [
    [196, 'k', 8, 'v', 8],
    [220, 'key', 8, 'value', 16],
    [252, 'Upload', 16, '', 8],
    [312, 'Ärger', 16, 'Größe', 16],
    [352, 'emoji', 16, '\u{1F600}', 8],
    [384, 'four', 16, '1234', 16],
  ];
  it('property set headers: HeaderLength = 12 + the padded name', () => {
    expect([u32(b, 168), u32(b, 172)]).toEqual([108, 2]);
    expect([u32(b, 176), u32(b, 180), u32(b, 184), str(188, 8)]).toEqual([20, 108, 3, 'a']);
    expect([u32(b, 284), u32(b, 288)]).toEqual([132, 2]);
    expect([u32(b, 292), u32(b, 296), u32(b, 300), str(304, 8)]).toEqual([20, 132, 3, 'abc']);
  });
  it.each(props)('property at %i: "%s" in %i bytes, "%s" in %i bytes, zero padded', (at, key, keyLen, val, valLen) => {
    expect([u32(b, at), u32(b, at + 4)]).toEqual([keyLen, valLen]);
    expect(str(at + 8, keyLen)).toBe(key);
    expect(str(at + 8 + keyLen, valLen)).toBe(val);
    const keyPad = b.subarray(at + 8 + Buffer.byteLength(key, 'utf16le'), at + 8 + keyLen);
    const valPad = b.subarray(at + 8 + keyLen + Buffer.byteLength(val, 'utf16le'), at + 8 + keyLen + valLen);
    expect([...keyPad, ...valPad].every((x) => x === 0)).toBe(true);
    expect(keyPad.length).toBeGreaterThanOrEqual(2); // the null terminator
    expect(valPad.length).toBeGreaterThanOrEqual(2);
  });
  it('the last property ends the package', () => expect(384 + 8 + 16 + 16).toBe(b.length));
});

describe('rules and clauses (decision (b): the operand after 24 fixed bytes)', () => {
  const b = fromFixture('two-rules.yaml');
  const rule = (i: number) => (decodeManifestPackage(b).value!.sections[i] as AsqmRuleSection).rule;

  it('ClauseLength is 28 for operators 1-3, 32 for 4 and 7, 24 + the padded string for 5', () => {
    expect(rule(0).clauses.map((c) => c.clauseLength)).toEqual([28, 28, 28, 32]);
    expect(rule(1).clauses.map((c) => c.clauseLength)).toEqual([24 + 24, 32, 32]); // "notepad.exe": 22 + 2 → 24
  });
  it('AND clauses get bits 0, 1, … in order; RuleEvaluationFlag is their OR; OR clauses have 0', () => {
    expect(rule(0).clauses.map((c) => c.evaluationFlag)).toEqual([1, 2, 0, 4]);
    expect(rule(0).ruleEvaluationFlag).toBe(7);
    expect(rule(1).clauses.map((c) => c.evaluationFlag)).toEqual([0, 0, 1]);
  });
  it('the first rule sits right after the first section header, fields in the 2.2.6.5.1 order', () => {
    // RuleLength, RuleIdentifier, RuleEvaluationFlag, RuleType, RuleCallbackValue, RuleAction
    expect([176, 180, 184, 188, 192, 196].map((at) => u32(b, at))).toEqual([u32(b, 168), 1, 7, 1, 42, 1]);
    // first clause: ClauseLength, EvaluationFlag, DataIdentifier, StreamRecordPosition, operator, group, operand
    expect([208, 212, 216, 220, 224, 228, 232].map((at) => u32(b, at))).toEqual([28, 1, 6, 0, 1, 0, 7601]);
  });
  it('operands: range low then high, QWORD little-endian, strings null-terminated', () => {
    expect(rule(0).clauses[3].operand).toEqual({ type: 'range', low: 10, high: 20 });
    expect(rule(1).clauses[0].operand).toEqual({ type: 'string', value: 'notepad.exe' });
    expect(rule(1).clauses[1].operand).toEqual({ type: 'qword', value: 0xffffffffffffffffn });
    expect(rule(1).clauses[2]).toMatchObject({ streamRecordPosition: 1, operand: { type: 'qword', value: 0x100000000n } });
  });
  it('one rule, one clause: 236 bytes at the offsets test-support documents', () => {
    const one = bytesOf(oneRule());
    expect(one.length).toBe(236);
    expect([u32(one, 168), u32(one, 172), u32(one, 176), u32(one, 208), u32(one, 232)]).toEqual([60, 1, 60, 28, 7601]);
  });
});
