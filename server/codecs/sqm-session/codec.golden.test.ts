// The MS-SQMCS 4.1 capture (a real Windows 7 SP1 upload) decoded field by field (4.2, 4.3) and
// re-encoded byte for byte.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '../../wire/findings';
import { filetimeToIso } from '../../wire/filetime';
import { flagNames, internalFlagNames } from './names';
import { computeDataChecksum, decodeSqmHeader, decodeSqmSession, encodeSqmSession } from './codec';
import type { DwordSection, RawSection, SqmSession, StreamSection, StringSection } from './types';
import { FIXTURES, loadGolden, parseHexFixture, ruleKeys } from '../../../test/helpers/sqm-session-fixtures';

const golden = loadGolden();
const decode = () => decodeSqmSession(golden, { maxRawBytes: 1 << 20 });
const session = (): SqmSession => decode().value!;

describe('MS-SQMCS 4.1 capture', () => {
  it('the .hex fixture holds the same 1078 bytes as the .bin', () => {
    const fromHex = parseHexFixture(readFileSync(join(FIXTURES, 'win7-sp1-capture.hex'), 'utf8'));
    expect(fromHex.length).toBe(1078);
    expect(fromHex.equals(golden)).toBe(true);
  });

  it('decodes the header of MS-SQMCS 4.2 (Figure 12)', () => {
    const { value: h, findings, bytesRead } = decodeSqmHeader(golden);
    expect(bytesRead).toBe(120);
    expect(ruleKeys(findings)).toEqual(['sqm-v1.flags@2.2.4.1', 'sqm-v1.internal-flags@2.2.4.1']);
    expect(h).toEqual({
      signature: 0x4d51534d,
      headerLength: 0x78,
      flags: 0x20,
      dataChecksum: 0xe44ff158,
      sectionCount: 5,
      dataLength: 0x3be,
      applicationIdentifier: 0,
      applicationVersionHigh: 0,
      applicationVersionLow: 0,
      manifestVersion: 0,
      clientUploadTime: 0x01cc583870674250n,
      reserved: 0n,
      clientSessionStartTime: 0x01cc58329b554e90n,
      clientSessionEndTime: 0x01cc58329f296100n,
      clientUniqueIdentifier: '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}',
      userUniqueIdentifier: '{6D5F87C9-F025-4C97-8599-EDF10E686970}',
      studyIdentifier: 0,
      internalFlags: 0x2,
      rawDataLength: 0,
      rawDataChecksum: 0,
    });
  });

  it('carries the FILETIMEs of an upload on 2011-08-11', () => {
    const h = session().header;
    expect(h.clientUploadTime).toBe(0x01cc583870674250n);
    expect(filetimeToIso(h.clientUploadTime)).toBe('2011-08-11T15:07:51.413Z');
    expect(filetimeToIso(h.clientSessionStartTime)).toBe('2011-08-11T14:26:06.457Z');
    expect(h.clientSessionEndTime > h.clientSessionStartTime).toBe(true);
  });

  it('reproduces DataChecksum 0xE44FF158', () => {
    expect(computeDataChecksum(golden.subarray(0, 120), golden.subarray(120))).toBe(0xe44ff158);
    expect(session().computed).toEqual({ dataChecksum: 0xe44ff158 });
  });

  it('reports exactly the known differences and no error', () => {
    const { findings } = decode();
    expect(hasErrors(findings)).toBe(false);
    // A real Windows upload: no error and no warning, only info findings (INTERFACE.md section 2).
    expect(findings.filter((f) => f.level !== 'info')).toEqual([]);
    expect(ruleKeys(findings)).toEqual([
      'sqm-v1.flags@2.2.4.1', // Flags 0x20: bit 5, SQM_FLAG_INTERNAL in the Windows Embedded Compact header
      'sqm-v1.internal-flags@2.2.4.1', // InternalFlags 0x2: reserved bit 1, which Windows 7 sets
      'sqm-v1.section-type@2.2.4.3', // type 0x1 at 0x2EE
      'sqm-v1.stream-counts@2.2.4.4.2.1', // stream 0x34: 3 × 3 declared, 3 read
      'sqm-v1.stream-counts@2.2.4.4.2.1', // stream 0x236: the same
      'sqm-v1.string-layout@2.2.4.4.1.3', // the Windows STRING layout
    ]);
    expect(findings.map((f) => [f.rule, f.level, f.offset])).toEqual([
      ['sqm-v1.flags', 'info', 8],
      ['sqm-v1.internal-flags', 'info', 108],
      ['sqm-v1.string-layout', 'info', 0x26c],
      ['sqm-v1.stream-counts', 'info', 0x2b6],
      ['sqm-v1.section-type', 'info', 0x2ee],
      ['sqm-v1.stream-counts', 'info', 0x3fe],
    ]);
  });

  it('names its flag bits from both sources: Flags bit 5 internal (Windows Embedded Compact), InternalFlags bit 1 as set by Windows 7', () => {
    const byRule = Object.fromEntries(decode().findings.map((f) => [f.rule, f]));
    expect(byRule['sqm-v1.flags'].message).toBe('Flags 0x00000020: bit 5 reserved in the document, SQM_FLAG_INTERNAL in the Windows Embedded Compact SQM header; kept');
    expect(byRule['sqm-v1.internal-flags'].message).toBe('InternalFlags 0x00000002 sets reserved bit 1, set by Windows 7 (the MS-SQMCS 4.1 capture); kept');
    expect(flagNames(session().header.flags)).toEqual(['internal']);
    expect(internalFlagNames(session().header.internalFlags)).toEqual(['bit1']);
  });

  it('finds the five sections of the capture (MS-SQMCS 4.3)', () => {
    const s = session();
    expect(s.compressed).toBe(false);
    expect(s.trailing).toBeUndefined();
    // Section offsets are within the section data; the session offsets are 0x78 more.
    expect(s.sections.map((c) => [c.offset + 0x78, c.type, c.typeName, c.length])).toEqual([
      [0x78, 0, 'dword', 492],
      [0x26c, 3, 'string', 66],
      [0x2b6, 5, 'stream', 48],
      [0x2ee, 1, 'raw', 264],
      [0x3fe, 5, 'stream', 48],
    ]);
  });

  it('decodes 41 DWORD data points, id 6 = 7601 (the Windows 7 SP1 build)', () => {
    const dwords = session().sections[0] as DwordSection;
    expect(dwords.datapoints).toHaveLength(41);
    expect(dwords.datapoints.find((p) => p.id === 6)).toEqual({ id: 6, value: 7601, tickCount: 0 });
    expect(dwords.datapoints[0]).toEqual({ id: 3, value: 0x1fef, tickCount: 0 });
  });

  it('decodes 3 STRING data points in the windows layout, id 780 = "100040219"', () => {
    const strings = session().sections[1] as StringSection;
    expect(strings.layout).toBe('windows');
    expect(strings.datapoints).toEqual([
      { id: 0x2a4, tickCount: 0, stringLength: 0, value: '', trailer: '00000000' },
      { id: 0x2a5, tickCount: 0, stringLength: 0, value: '', trailer: '00000000' },
      { id: 780, tickCount: 0, stringLength: 9, value: '100040219', trailer: '00000000' },
    ]);
  });

  it('reads the stream entries actually present, beside the declared counts', () => {
    const stream = session().sections[2] as StreamSection;
    expect(stream).toMatchObject({ streamIdentifier: 0x34, countPerRecord: 3, countRecords: 3, layout: 'document' });
    expect(stream.entries).toEqual([
      { entryType: 0, tickCount: 0xe14, value: 0x7494b3fa },
      { entryType: 0, tickCount: 0xe14, value: 0 },
      { entryType: 0, tickCount: 0xe14, value: 0x2cf7160a },
    ]);
    expect((session().sections[4] as StreamSection).streamIdentifier).toBe(0x236);
  });

  it('keeps the unknown type 0x1 section raw', () => {
    const raw = session().sections[3] as RawSection;
    expect(raw.reason).toBe('unknown-type');
    expect(raw.raw.equals(golden.subarray(0x2ee + 8, 0x2ee + 8 + 264))).toBe(true);
  });

  it('encodes back to the same 1078 bytes', () => {
    expect(encodeSqmSession(session()).equals(golden)).toBe(true);
  });

  it('recomputing lengths and checksums changes nothing on a consistent session', () => {
    expect(encodeSqmSession(session(), { recomputeLengths: true, recomputeChecksums: true }).equals(golden)).toBe(true);
  });

  it('views the caller buffer instead of copying it (big uploads), so data and raw sections alias it', () => {
    const copy = Buffer.from(golden);
    const s = decodeSqmSession(copy, { maxRawBytes: 1 << 20 }).value!;
    expect(s.data.buffer).toBe(copy.buffer);
    copy.fill(0);
    expect(s.data.every((b) => b === 0)).toBe(true);
  });
});
