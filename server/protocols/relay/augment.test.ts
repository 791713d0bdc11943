// The relay's change to one SQM v1 session (MS-SQMCS 3.3.1, 3.3.5): one DWORD data point added to
// the first data point section (or a new one), Flags bit 7 (2.2.4.1 "session from proxy"), lengths
// and checksums recomputed, the STRING layout kept, a compressed session sent on uncompressed.

import { buildCabinet as makeCabinet } from '../../testing/cabinet';
import { extractCabinetFile } from '../../cab';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { buildSqmSession, type BuildSection } from '../../testing/sqm-session';
import { loadGolden } from '../../../test/helpers/sqm-session-fixtures';
import type { DwordSection, SqmSession, StringSection } from '../../codecs/sqm-session/types';
import { augmentSession } from './augment';

const LIMIT = 1 << 20;
const MARK = { id: 0x4d4f434b, value: 1 };
const POINT = { id: MARK.id, value: MARK.value, tickCount: 0 };
const decompress = (data: Buffer, maxBytes: number) => extractCabinetFile(data, { maxBytes });

/** Decodes what the relay sends on and insists it is a valid session: no error findings at all. */
function valid(bytes: Buffer | null): SqmSession {
  expect(bytes).not.toBeNull();
  const { value, findings } = decodeSqmSession(bytes!, { maxRawBytes: LIMIT, decompress });
  expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  return value!;
}
const dword = (s: SqmSession, i: number) => s.sections[i] as DwordSection;

const STRINGS: BuildSection = {
  type: 'string',
  datapoints: [
    { id: 780, value: 'Windows 7' },
    { id: 781, value: 'x' },
  ],
};
const DWORDS: BuildSection = { type: 'dword', datapoints: [{ id: 6, value: 7601, tickCount: 5 }] };

describe('augmentSession', () => {
  it('adds the data point at the end of the first DWORD section, sets bit 7, recomputes lengths and checksums', () => {
    const input = buildSqmSession({ header: { flags: 0x21 }, sections: [STRINGS, DWORDS, { type: 'dword', datapoints: [{ id: 9, value: 9 }] }] });
    const before = valid(input);
    const after = valid(augmentSession(input, MARK, LIMIT));
    expect(after.header.flags).toBe(0xa1);
    expect(after.header.sectionCount).toBe(3);
    expect(after.header.dataLength).toBe(before.header.dataLength + 12);
    expect(dword(after, 1).datapoints).toEqual([{ id: 6, value: 7601, tickCount: 5 }, POINT]);
    expect(dword(after, 1).length).toBe(24);
    // The other sections are untouched.
    expect(dword(after, 2).datapoints).toEqual([{ id: 9, value: 9, tickCount: 0 }]);
    expect(after.sections[0]).toEqual(before.sections[0]);
    // Everything else in the header is kept.
    const { flags: _f, dataChecksum: _c, dataLength: _l, ...rest } = after.header;
    const { flags: _f2, dataChecksum: _c2, dataLength: _l2, ...restBefore } = before.header;
    expect(rest).toEqual(restBefore);
  });

  it('makes a DWORD section in front when the session has none', () => {
    const input = buildSqmSession({ sections: [STRINGS] });
    const after = valid(augmentSession(input, MARK, LIMIT));
    expect(after.header.sectionCount).toBe(2);
    expect(after.sections.map((s) => s.typeName)).toEqual(['dword', 'string']);
    expect(dword(after, 0)).toMatchObject({ type: 0, length: 12, datapoints: [POINT] });
    expect((after.sections[1] as StringSection).datapoints.map((d) => d.value)).toEqual(['Windows 7', 'x']);
  });

  it('makes a DWORD section in a session with no sections at all', () => {
    const after = valid(augmentSession(buildSqmSession(), MARK, LIMIT));
    expect(after.header.sectionCount).toBe(1);
    expect(dword(after, 0).datapoints).toEqual([POINT]);
  });

  it('takes the mark as unsigned 32-bit id and value', () => {
    const after = valid(augmentSession(buildSqmSession({ sections: [DWORDS] }), { id: 0xffffffff, value: -1 }, LIMIT));
    expect(dword(after, 0).datapoints[1]).toEqual({ id: 0xffffffff, value: 0xffffffff, tickCount: 0 });
  });

  it('keeps bit 7 set when it was already (a second relay adds its own data point)', () => {
    const once = augmentSession(buildSqmSession({ sections: [DWORDS] }), MARK, LIMIT)!;
    const twice = valid(augmentSession(once, { id: 7, value: 8 }, LIMIT));
    expect(twice.header.flags).toBe(0x80);
    expect(dword(twice, 0).datapoints.map((d) => d.id)).toEqual([6, MARK.id, 7]);
  });

  it.each(['document', 'windows'] as const)('keeps the %s STRING layout (INTERFACE.md: the relay must not change it)', (layout) => {
    const input = buildSqmSession({ sections: [{ ...STRINGS, layout }, DWORDS] });
    expect((valid(input).sections[0] as StringSection).layout).toBe(layout);
    const after = valid(augmentSession(input, MARK, LIMIT));
    expect((after.sections[0] as StringSection).layout).toBe(layout);
    // The string section's bytes go on exactly as they came.
    const at = 120;
    const len = 8 + (valid(input).sections[0] as StringSection).length;
    expect(
      augmentSession(input, MARK, LIMIT)!
        .subarray(at, at + len)
        .equals(input.subarray(at, at + len)),
    ).toBe(true);
  });

  it('keeps the MS-SQMCS 4.1 capture (Windows layout, streams) intact apart from the change', () => {
    const golden = loadGolden();
    const before = valid(golden);
    const after = valid(augmentSession(golden, MARK, LIMIT));
    expect(after.header.flags).toBe(before.header.flags | 0x80);
    const first = before.sections.findIndex((s) => s.typeName === 'dword');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(dword(after, first).datapoints).toEqual([...dword(before, first).datapoints, POINT]);
    for (let i = 0; i < before.sections.length; i++) {
      if (i === first) continue;
      expect({ ...after.sections[i], offset: 0 }).toEqual({ ...before.sections[i], offset: 0 });
    }
    expect(after.header.internalFlags).toBe(before.header.internalFlags);
    expect(augmentSession(golden, MARK, LIMIT)!.length).toBe(golden.length + 12);
  });

  it('sends a compressed session on uncompressed: bit 0 clear, RawDataLength and RawDataChecksum 0', () => {
    const input = buildSqmSession({ header: { internalFlags: 0x9 }, sections: [DWORDS, STRINGS], compress: (raw) => makeCabinet(raw) });
    const before = valid(input);
    expect(before.compressed).toBe(true);
    const bytes = augmentSession(input, MARK, LIMIT)!;
    const after = valid(bytes);
    expect(after.compressed).toBe(false);
    expect(after.header).toMatchObject({ internalFlags: 0x8, rawDataLength: 0, rawDataChecksum: 0, flags: 0x80, sectionCount: 2 });
    expect(after.header.dataLength).toBe(bytes.length - 120);
    expect(dword(after, 0).datapoints).toEqual([{ id: 6, value: 7601, tickCount: 5 }, POINT]);
    expect(after.sections[1]).toEqual({ ...before.sections[1], offset: before.sections[1].offset + 12 });
  });

  const invalid: [string, Buffer][] = [
    ['a bad DataChecksum', buildSqmSession({ sections: [DWORDS], header: { dataChecksum: 1 } })],
    ['a DataLength that does not fit', buildSqmSession({ sections: [DWORDS], header: { dataLength: 999 } })],
    ['a section running past the data', buildSqmSession({ sections: [{ ...DWORDS, length: 400 }] })],
    ['a truncated header', buildSqmSession().subarray(0, 60)],
    ['no MSQM signature', Buffer.concat([Buffer.from('XSQM'), buildSqmSession().subarray(4)])],
    ['a cabinet that is not one', buildSqmSession({ sections: [DWORDS], compress: () => Buffer.from('not a cabinet at all') })],
    ['a HeaderLength other than 0x78', buildSqmSession({ headerExtension: Buffer.alloc(8), sections: [DWORDS] })],
    ['nothing', Buffer.alloc(0)],
  ];
  it.each(invalid)('returns null for %s (forwarded untouched)', (_name, bytes) => {
    expect(augmentSession(bytes, MARK, LIMIT)).toBeNull();
  });

  it('returns null for a compressed session over the size limit', () => {
    const input = buildSqmSession({ sections: [STRINGS], compress: (raw) => makeCabinet(raw) });
    expect(augmentSession(input, MARK, 16)).toBeNull();
  });
});
