// The A-SQM manifest package codec (MS-SQMCS 2.2.6): download header (2.2.6.1), manifest header (2.2.6.3),
// then sections (2.2.6.4: SectionLength *then* SectionType, the reverse of SQM v1 sections) until the
// manifest's Length is used up. Bytes in, typed package and findings out; and the exact inverse.
//
// Decisions (the document leaves them open):
// (a) download header Signature: we write 0x414D5153 (note <6>'s manifest value); any value decodes, other
//     values give an `info` finding (asqm.download-signature).
// (b) clause operand: after the clause's 24 fixed bytes (ClauseLength makes it variable): operators 1-3 one
//     DWORD, 4 two DWORDs (low, high), 5 a null-terminated UTF-16 string padded to 8 bytes, 7 a QWORD.
// (c) download Length counts itself: 16 + the manifest's bytes. Checksum (note <5>) covers every byte
//     after the download header.
// (d) "aligned on an 8-byte boundary": a name/key/value field's byte length is a multiple of 8, zero padded,
//     so a property is 8 + PropertyKeyLength + PropertyValueLength bytes, both lengths multiples of 8.

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { Findings, hex32 } from '../../wire/findings';
import { sqmChecksum } from '../../wire/checksum';
import { report } from './rules';
import { decodeTerminated, encodeFixed } from './strings';
import { decodeRule, encodeRule } from './escalation-rule';
import { decodePropertySet, encodePropertySet } from './property-set';
import {
  ASQM_SIGNATURE,
  DOWNLOAD_HEADER_LENGTH,
  MANIFEST_HEADER_LENGTH,
  PARTNER_NAME_BYTES,
  RESERVED_VERSIONS,
  SECTION_HEADER_LENGTH,
  SECTION_PROPERTY_SET,
  SECTION_RULE,
  type AsqmDownloadHeader,
  type AsqmManifestHeader,
  type AsqmManifestPackage,
  type AsqmSection,
  type DecodeResult,
} from './types';

export { encodeRule } from './escalation-rule';
export { encodePropertySet } from './property-set';

const EMPTY = Buffer.alloc(0);
const SECTIONS_START = DOWNLOAD_HEADER_LENGTH + MANIFEST_HEADER_LENGTH;

export interface EncodeOptions {
  /** Ignore stored lengths, counts and the checksum; compute them from the bytes written. */
  recompute?: boolean;
}

/**
 * Decodes a downloaded A-SQM package (download header + manifest). Never throws on any bytes: problems
 * are findings with offsets in `buf`. `value` is null only when the two headers are incomplete.
 * @example const { value, findings } = decodeManifestPackage(fs.readFileSync('Sqm7.bin'));
 */
export function decodeManifestPackage(buf: Uint8Array): DecodeResult<AsqmManifestPackage> {
  const input = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const findings = new Findings();
  if (input.length < DOWNLOAD_HEADER_LENGTH) {
    report(findings, 'asqm.truncated', `${input.length} bytes cannot hold the ${DOWNLOAD_HEADER_LENGTH}-byte download header`, { offset: 0 });
    return { value: null, findings: findings.list, bytesRead: 0 };
  }
  const download = decodeDownloadHeader(input, findings);
  if (input.length < SECTIONS_START) {
    report(findings, 'asqm.truncated', `${input.length - DOWNLOAD_HEADER_LENGTH} manifest bytes cannot hold the ${MANIFEST_HEADER_LENGTH}-byte A-SQM header`, {
      offset: DOWNLOAD_HEADER_LENGTH,
      section: '2.2.6.3',
    });
    return { value: null, findings: findings.list, bytesRead: 0 };
  }
  const header = decodeManifestHeader(input, findings);
  const manifestEnd = DOWNLOAD_HEADER_LENGTH + Math.min(Math.max(header.length!, MANIFEST_HEADER_LENGTH), input.length - DOWNLOAD_HEADER_LENGTH);
  const { sections, end } = decodeSections(input, manifestEnd, findings);
  const value: AsqmManifestPackage = { download, header, sections };
  if (end < input.length) value.trailing = input.subarray(end);
  checkManifest(value, findings);
  return { value, findings: findings.list, bytesRead: input.length };
}

function decodeDownloadHeader(input: Buffer, findings: Findings): AsqmDownloadHeader {
  const r = new ByteReader(input);
  const download = { signature: r.u32()!, length: r.u32()!, checksum: r.u32()!, reserved: r.u32()! };
  if (download.signature !== ASQM_SIGNATURE) {
    report(findings, 'asqm.download-signature', `download Signature is ${hex32(download.signature)}; this mock writes ${hex32(ASQM_SIGNATURE)} (the document names none)`, {
      offset: 0,
    });
  }
  if (download.length !== input.length) report(findings, 'asqm.download-length', `download Length is ${download.length}; the package is ${input.length} bytes`, { offset: 4 });
  const computed = sqmChecksum(input.subarray(DOWNLOAD_HEADER_LENGTH));
  if (download.checksum !== computed) {
    report(findings, 'asqm.download-checksum', `download Checksum is ${hex32(download.checksum)}; computed ${hex32(computed)} over the manifest bytes`, { offset: 8 });
  }
  if (download.reserved !== 0) report(findings, 'asqm.download-reserved', `download Reserved is ${hex32(download.reserved)}, not 0`, { offset: 12 });
  return download;
}

function decodeManifestHeader(input: Buffer, findings: Findings): AsqmManifestHeader {
  const base = DOWNLOAD_HEADER_LENGTH;
  const r = new ByteReader(input, base);
  const [signature, version, length, sectionCount] = [r.u32()!, r.u32()!, r.u32()!, r.u32()!];
  const expirationTime = r.u64()!;
  const name = decodeTerminated(r.bytes(PARTNER_NAME_BYTES)!, { findings, offset: base + 24, section: '2.2.6.3', field: 'PartnerName', fixed: true });
  const header: AsqmManifestHeader = { signature, version, length, sectionCount, expirationTime, partnerName: name.value };
  if (name.bytes) header.partnerNameBytes = name.bytes;
  if (signature !== ASQM_SIGNATURE) report(findings, 'asqm.signature', `Signature is ${hex32(signature)}; expected ${hex32(ASQM_SIGNATURE)} (note <6>)`, { offset: base });
  if (RESERVED_VERSIONS.includes(version)) report(findings, 'asqm.version', `Version ${hex32(version)} is reserved (0x0 and 0x00FFFFFF MUST NOT be used)`, { offset: base + 4 });
  const available = input.length - base;
  if (length !== available) report(findings, 'asqm.manifest-length', `Length is ${length}; ${available} manifest bytes follow the download header`, { offset: base + 8 });
  return header;
}

/** Walks the sections from the end of the manifest header to `end`; `end` in the result is where reading stopped. */
function decodeSections(input: Buffer, manifestEnd: number, findings: Findings): { sections: AsqmSection[]; end: number } {
  const r = new ByteReader(input, SECTIONS_START, manifestEnd);
  const sections: AsqmSection[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    if (!r.has(SECTION_HEADER_LENGTH)) {
      report(findings, 'asqm.trailing-bytes', `${r.remaining} bytes after the last section cannot hold a section header`, { offset: at });
      break;
    }
    const sectionLength = r.u32()!;
    const sectionType = r.u32()!;
    const body = r.bytes(sectionLength);
    if (body === undefined) {
      report(findings, 'asqm.section-overrun', `section type ${hex32(sectionType)} has SectionLength ${sectionLength} but only ${r.remaining} bytes remain; kept raw`, {
        offset: at,
      });
      sections.push({ type: 'raw', sectionType, sectionLength, reason: 'overrun', bytes: r.bytes(r.remaining)! });
      break;
    }
    sections.push(decodeSection({ sectionLength, sectionType, body, base: at + SECTION_HEADER_LENGTH }, findings));
  }
  return { sections, end: r.pos };
}

function decodeSection(s: { sectionLength: number; sectionType: number; body: Buffer; base: number }, findings: Findings): AsqmSection {
  const raw = (reason: 'unknown-type' | 'undecodable'): AsqmSection => ({ type: 'raw', sectionType: s.sectionType, sectionLength: s.sectionLength, reason, bytes: s.body });
  if (s.sectionType === SECTION_RULE) {
    const d = decodeRule(s.body, s.base, findings);
    return d === null ? raw('undecodable') : withExtra({ type: 'rule', sectionLength: s.sectionLength, rule: d.rule }, d.extra);
  }
  if (s.sectionType === SECTION_PROPERTY_SET) {
    const d = decodePropertySet(s.body, s.base, findings);
    return d === null ? raw('undecodable') : withExtra({ type: 'propertySet', sectionLength: s.sectionLength, propertySet: d.propertySet }, d.extra);
  }
  report(findings, 'asqm.section-type', `SectionType ${hex32(s.sectionType)} is neither 0x1 (escalation rule) nor 0x2 (property set); kept raw`, { offset: s.base - 4 });
  return raw('unknown-type');
}

const withExtra = <T extends AsqmSection>(section: T, extra: Buffer | undefined): T => (extra === undefined ? section : { ...section, extra });

/** Checks across sections: SectionCount, at least one section, unique RuleIdentifier and PropertySetName. */
function checkManifest(pkg: AsqmManifestPackage, findings: Findings): void {
  const n = pkg.sections.length;
  if (pkg.header.sectionCount !== n)
    report(findings, 'asqm.section-count', `SectionCount is ${pkg.header.sectionCount}; ${n} sections found`, { offset: DOWNLOAD_HEADER_LENGTH + 12 });
  if (n === 0) report(findings, 'asqm.no-sections', 'the manifest has no sections (at least one is required)', { offset: SECTIONS_START });
  const ids = new Set<number>();
  const names = new Set<string>();
  let offset = SECTIONS_START;
  for (const s of pkg.sections) {
    const body = offset + SECTION_HEADER_LENGTH;
    if (s.type === 'rule') {
      const id = s.rule.ruleIdentifier;
      if (ids.has(id)) report(findings, 'asqm.duplicate-rule-id', `RuleIdentifier ${id} is used by more than one rule`, { offset: body + 4 });
      ids.add(id);
    } else if (s.type === 'propertySet') {
      const name = s.propertySet.name;
      if (names.has(name)) report(findings, 'asqm.duplicate-property-set', `PropertySetName "${name}" is used by more than one property set`, { offset: body + 12 });
      names.add(name);
    }
    offset = body + (s.type === 'raw' ? s.bytes.length : (s.sectionLength ?? 0));
  }
}

/** One section: its 8-byte header (SectionLength, SectionType) then the body. */
export function encodeSection(section: AsqmSection, recompute = false): Buffer {
  const body = section.type === 'rule' ? encodeRule(section.rule, recompute) : section.type === 'propertySet' ? encodePropertySet(section.propertySet, recompute) : section.bytes;
  const type = section.type === 'rule' ? SECTION_RULE : section.type === 'propertySet' ? SECTION_PROPERTY_SET : section.sectionType;
  const extra = section.extra ?? EMPTY;
  const length = recompute || section.sectionLength === undefined ? body.length + extra.length : section.sectionLength;
  return new ByteWriter(SECTION_HEADER_LENGTH + body.length + extra.length).u32(length).u32(type).bytes(body).bytes(extra).toBuffer();
}

/** The manifest alone (2.2.6.2): header, sections, trailing bytes. */
export function encodeManifest(pkg: AsqmManifestPackage, opts: EncodeOptions = {}): Buffer {
  const recompute = opts.recompute === true;
  const sections = Buffer.concat(pkg.sections.map((s) => encodeSection(s, recompute)));
  const trailing = pkg.trailing ?? EMPTY;
  const h = pkg.header;
  const w = new ByteWriter(MANIFEST_HEADER_LENGTH + sections.length + trailing.length);
  w.u32(h.signature ?? ASQM_SIGNATURE).u32(h.version);
  w.u32(recompute || h.length === undefined ? MANIFEST_HEADER_LENGTH + sections.length + trailing.length : h.length);
  w.u32(recompute || h.sectionCount === undefined ? pkg.sections.length : h.sectionCount);
  w.u64(h.expirationTime).bytes(h.partnerNameBytes ?? encodeFixed(h.partnerName, PARTNER_NAME_BYTES));
  return w.bytes(sections).bytes(trailing).toBuffer();
}

/**
 * Encodes a package: the download header then the manifest. Stored lengths, counts and the checksum are
 * written as they are (so `encode(decode(x))` is `x`); absent ones, or all with `recompute`, are computed.
 * Total: never throws on well-typed values.
 * @example encodeManifestPackage(manifestFromYaml(doc, { partner: 'windows' }))
 */
export function encodeManifestPackage(pkg: AsqmManifestPackage, opts: EncodeOptions = {}): Buffer {
  const recompute = opts.recompute === true;
  const manifest = encodeManifest(pkg, opts);
  const d = pkg.download;
  const w = new ByteWriter(DOWNLOAD_HEADER_LENGTH + manifest.length);
  w.u32(d.signature);
  w.u32(recompute || d.length === undefined ? DOWNLOAD_HEADER_LENGTH + manifest.length : d.length);
  w.u32(recompute || d.checksum === undefined ? sqmChecksum(manifest) : d.checksum);
  w.u32(d.reserved ?? 0);
  return w.bytes(manifest).toBuffer();
}
