// Encoding SQM v1 sessions (MS-SQMCS 2.2.4): exact by default; lengths and checksums recomputed on
// request, as the relay does when it adds a data point; compressed sessions kept or unpacked.

import { hasErrors } from '../../wire/findings';
import { sqmChecksum } from '../../wire/checksum';
import { computeDataChecksum, decodeSqmSession, encodeSections, encodeSqmHeader, encodeSqmSession, type DecodeOptions } from './codec';
import { buildSqmSession } from '../../testing/sqm-session';
import { FLAG_FROM_PROXY, type DwordSection, type QwordSection, type SqmSession, type StringSection } from './types';
import { fakeCompress, fakeDecompress, loadGolden, ruleKeys } from '../../../test/helpers/sqm-session-fixtures';

const OPTS: DecodeOptions = { maxRawBytes: 1 << 20, decompress: fakeDecompress };
const decode = (bytes: Buffer, opts = OPTS) => decodeSqmSession(bytes, opts);
const golden = loadGolden();
const goldenSession = (): SqmSession => decode(golden).value!;
const both = { recomputeLengths: true, recomputeChecksums: true };

describe('adding a data point, as the relay does (INTERFACE.md "Decisions on CEIP redirect and the SQM relay")', () => {
  it('recomputes DataLength, SectionLength and DataChecksum and keeps everything else', () => {
    const s = goldenSession();
    (s.sections[0] as DwordSection).datapoints.push({ id: 0x7fff0001, value: 42, tickCount: 0 });
    s.header.flags |= FLAG_FROM_PROXY;
    const out = encodeSqmSession(s, both);
    const again = decode(out);
    expect(ruleKeys(again.findings)).toEqual(ruleKeys(decode(golden).findings));
    const h = again.value!.header;
    expect(h).toMatchObject({ flags: 0xa0, dataLength: 0x3be + 12, sectionCount: 5 });
    expect(again.value!.sections[0]).toMatchObject({ length: 492 + 12 });
    expect((again.value!.sections[0] as DwordSection).datapoints.at(-1)).toEqual({ id: 0x7fff0001, value: 42, tickCount: 0 });
    // The STRING section keeps the windows layout the client sent.
    expect((again.value!.sections[1] as StringSection).layout).toBe('windows');
    // Sections after the DWORD one are the same bytes, 12 further on.
    expect(out.subarray(0x26c + 12).equals(golden.subarray(0x26c))).toBe(true);
  });

  it('without recomputing, the stored lengths and checksum are written as they are', () => {
    const s = goldenSession();
    (s.sections[0] as DwordSection).datapoints.push({ id: 1, value: 1, tickCount: 0 });
    const out = encodeSqmSession(s);
    expect(out.readUInt32LE(20)).toBe(0x3be);
    expect(out.readUInt32LE(0x78 + 4)).toBe(492);
    expect(hasErrors(decode(out).findings)).toBe(true);
  });

  it('a new section raises SectionCount', () => {
    const s = goldenSession();
    const qword: QwordSection = { type: 6, typeName: 'qword', length: 0, offset: 0, datapoints: [{ id: 5, value: 2n ** 63n, tickCount: 1 }] };
    s.sections.push(qword);
    const again = decode(encodeSqmSession(s, both));
    expect(hasErrors(again.findings)).toBe(false);
    expect(again.value!.header.sectionCount).toBe(6);
    expect(again.value!.sections[5]).toMatchObject({ typeName: 'qword', length: 16, datapoints: qword.datapoints });
  });

  it('recomputes StringLength of an edited string, keeping layout and trailer', () => {
    const s = goldenSession();
    const strings = s.sections[1] as StringSection;
    strings.datapoints[2] = { ...strings.datapoints[2], value: 'hello, world', trailer: '0000abcd' };
    const again = decode(encodeSqmSession(s, both)).value!;
    expect((again.sections[1] as StringSection).datapoints[2]).toEqual({ id: 780, tickCount: 0, stringLength: 12, value: 'hello, world', trailer: '0000abcd' });
  });
});

describe('compressed sessions', () => {
  const dwords = { type: 'dword', datapoints: [{ id: 1, value: 2 }] } as const;
  const built = buildSqmSession({ sections: [dwords], compress: fakeCompress });

  it('re-emit the cabinet unchanged by default', () => {
    const s = decode(built).value!;
    (s.sections[0] as DwordSection).datapoints[0].value = 99; // not in the cabinet: ignored
    expect(encodeSqmSession(s).equals(built)).toBe(true);
  });

  it('{ uncompressed: true } writes the sections, clears bit 0 and zeroes the raw fields', () => {
    const s = decode(built).value!;
    (s.sections[0] as DwordSection).datapoints[0].value = 99;
    const out = decode(encodeSqmSession(s, { uncompressed: true }), { maxRawBytes: 1 << 20 });
    expect(out.findings).toEqual([]);
    expect(out.value!.header).toMatchObject({ internalFlags: 0, rawDataLength: 0, rawDataChecksum: 0, dataLength: 20, sectionCount: 1 });
    expect((out.value!.sections[0] as DwordSection).datapoints[0].value).toBe(99);
  });

  it('recomputing fixes DataLength, RawDataLength and both checksums around the same cabinet', () => {
    const bad = buildSqmSession({ sections: [dwords], compress: fakeCompress, header: { dataLength: 3, rawDataLength: 999, dataChecksum: 1, rawDataChecksum: 2 } });
    expect(ruleKeys(decode(bad).findings)).toEqual([
      'sqm-v1.data-checksum@3.2.5.2',
      'sqm-v1.data-length@3.2.5.2',
      'sqm-v1.raw-data-checksum@3.2.5.2',
      'sqm-v1.raw-data-length@3.2.5.2',
    ]);
    const fixed = encodeSqmSession(decode(bad).value!, both);
    expect(decode(fixed).findings).toEqual([]);
    expect(fixed.equals(built)).toBe(true);
  });

  it('{ uncompressed: true } on an uncompressed session changes nothing', () => {
    expect(encodeSqmSession(goldenSession(), { uncompressed: true }).equals(golden)).toBe(true);
  });
});

describe('pieces', () => {
  it('computeDataChecksum continues over header bytes 20..35, then the section data', () => {
    const head = Buffer.from(Array.from({ length: 120 }, (_, i) => i));
    const data = Buffer.from('section data');
    expect(computeDataChecksum(head, data)).toBe(sqmChecksum(Buffer.concat([head.subarray(20, 36), data])));
    expect(computeDataChecksum(head, Buffer.alloc(0))).toBe(sqmChecksum(head.subarray(20, 36)));
  });

  it('encodeSqmHeader writes a malformed GUID as zeros rather than failing', () => {
    const h = { ...goldenSession().header, userUniqueIdentifier: 'not a guid' };
    const out = encodeSqmHeader(h);
    expect(out).toHaveLength(120);
    expect(out.subarray(88, 104).equals(Buffer.alloc(16))).toBe(true);
  });

  it('encodeSections writes a windows trailer as exactly 4 bytes whatever the field holds', () => {
    const strings: StringSection = {
      type: 3,
      typeName: 'string',
      layout: 'windows',
      length: 0,
      offset: 0,
      datapoints: [
        { id: 1, tickCount: 0, stringLength: 1, value: 'a' },
        { id: 2, tickCount: 0, stringLength: 1, value: 'b', trailer: 'zz' },
        { id: 3, tickCount: 0, stringLength: 1, value: 'c', trailer: 'aabbccddeeff' },
      ],
    };
    const out = encodeSections([strings], { recomputeLengths: true });
    expect(out.readUInt32LE(4)).toBe(3 * (12 + 2 + 4));
    expect(out.subarray(8 + 14, 8 + 18).toString('hex')).toBe('00000000');
    expect(out.subarray(8 + 2 * 18 + 14).toString('hex')).toBe('aabbccdd');
  });

  it('recomputeLengths makes an overrun raw section describe the bytes it kept', () => {
    const bytes = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 1, value: 1 }], length: 100 }] });
    const again = decode(encodeSqmSession(decode(bytes).value!, both));
    expect(again.findings).toEqual([]);
  });
});
