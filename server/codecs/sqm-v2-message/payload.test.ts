// The dataupload payload (MS-SQMCS2 2.2.2.11, 2.2.2.16.2, 3.2.5.2): size against the bytes after
// the XML, `comp` + `precompsize` (a cabinet, INTERFACE.md), and each session's slice of the blob.

import { buildCabinet } from '../../testing/cabinet';
import { readPayload, sliceOf, type Blob } from './payload';
import type { Arg } from './types';

const args = (o: Record<string, string | number>): Arg[] => Object.entries(o).map(([nm, val]) => ({ nm, val: String(val) }));
const LIMIT = 20 * 1024 * 1024;

describe('readPayload', () => {
  const bytes = Buffer.from('MSQM-session-one|MSQM-session-two');

  it('takes the bytes after the XML when size matches', () => {
    const { value, findings } = readPayload(args({ size: bytes.length }), bytes, LIMIT);
    expect(findings).toEqual([]);
    expect(value).toEqual({ bytes, compressed: false });
  });

  it('ignores unrecognized payload args (2.2.2.11)', () => {
    expect(readPayload(args({ size: bytes.length, flavour: 'x' }), bytes, LIMIT).value?.bytes.equals(bytes)).toBe(true);
  });

  const bad: [string, Arg[] | null, Buffer, string][] = [
    ['no <payload> element', null, bytes, 'sqm-v2.payload-size'],
    ['<payload> without size', args({}), bytes, 'sqm-v2.payload-size'],
    ['size not decimal', args({ size: '0x22' }), bytes, 'sqm-v2.payload-size'],
    ['size one less than the bytes', args({ size: bytes.length - 1 }), bytes, 'sqm-v2.payload-size'],
    ['size one more than the bytes', args({ size: bytes.length + 1 }), bytes, 'sqm-v2.payload-size'],
    ['size given, no bytes at all', args({ size: 10 }), Buffer.alloc(0), 'sqm-v2.payload-size'],
    ['comp without precompsize', args({ size: bytes.length, comp: 'cab' }), bytes, 'sqm-v2.precompsize'],
    ['comp with a non-decimal precompsize', args({ size: bytes.length, comp: 'cab', precompsize: 'big' }), bytes, 'sqm-v2.precompsize'],
  ];
  it.each(bad)('%s → %s', (_name, a, after, rule) => {
    const { value, findings } = readPayload(a, after, LIMIT);
    expect(value).toBeNull();
    expect(findings.filter((f) => f.level === 'error').map((f) => [f.rule, f.specRef])).toEqual([[rule, 'MS-SQMCS2 2.2.2.11']]);
  });

  describe('compressed (comp, any value: a cabinet holding the sessions in its first file)', () => {
    const raw = Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.from(`session ${i} `.repeat(100))));
    const cab = buildCabinet(raw);

    it.each(['cab', 'mszip', '1'])('comp="%s" is decompressed', (comp) => {
      const { value, findings } = readPayload(args({ size: cab.length, comp, precompsize: raw.length }), cab, LIMIT);
      expect(findings.filter((f) => f.level !== 'info')).toEqual([]);
      expect(value?.compressed).toBe(true);
      expect(value?.bytes.equals(raw)).toBe(true);
      expect(cab.length).toBeLessThan(raw.length / 10);
    });

    it('a stored (uncompressed) cabinet folder works too', () => {
      const stored = buildCabinet(raw, { compression: 'none' });
      expect(readPayload(args({ size: stored.length, comp: 'cab', precompsize: raw.length }), stored, LIMIT).value?.bytes.equals(raw)).toBe(true);
    });

    it('precompsize is a hard cap while decompressing', () => {
      const { value, findings } = readPayload(args({ size: cab.length, comp: 'cab', precompsize: 1000 }), cab, LIMIT);
      expect(value).toBeNull();
      expect(findings.map((f) => f.rule)).toContain('cab.limit-exceeded');
    });

    it('so is the partner limit, whatever precompsize says', () => {
      const { value, findings } = readPayload(args({ size: cab.length, comp: 'cab', precompsize: raw.length }), cab, 4096);
      expect(value).toBeNull();
      expect(findings.map((f) => f.rule)).toContain('cab.limit-exceeded');
    });

    it('precompsize larger than what came out is reported', () => {
      const { value, findings } = readPayload(args({ size: cab.length, comp: 'cab', precompsize: raw.length + 1 }), cab, LIMIT);
      expect(value).toBeNull();
      expect(findings.map((f) => [f.rule, f.specRef])).toEqual([['sqm-v2.precompsize', 'MS-SQMCS2 2.2.2.11']]);
    });

    it("bytes that are not a cabinet are refused with the cabinet reader's finding", () => {
      const junk = Buffer.from('definitely not a cabinet');
      const { value, findings } = readPayload(args({ size: junk.length, comp: 'cab', precompsize: 100 }), junk, LIMIT);
      expect(value).toBeNull();
      expect(findings[0]).toMatchObject({ rule: 'cab.signature', level: 'error' });
    });
  });
});

describe('sliceOf', () => {
  const blob: Blob = { bytes: Buffer.alloc(100), compressed: false };

  const good: [string, Record<string, string | number>, [number, number][], [number, number]][] = [
    ['the whole blob', { offset: 0, size: 100 }, [], [0, 100]],
    ['the tail', { offset: 60, size: 40 }, [], [60, 40]],
    ['right after an earlier slice', { offset: 50, size: 50 }, [[0, 50]], [50, 50]],
    ['right before an earlier slice', { offset: 0, size: 50 }, [[50, 50]], [0, 50]],
  ];
  it.each(good)('%s', (_name, a, taken, expected) => expect(sliceOf(args(a), blob, taken)).toEqual({ value: expected }));

  const bad: [string, Record<string, string | number>, [number, number][]][] = [
    ['no offset', { size: 10 }, []],
    ['no size', { offset: 0 }, []],
    ['negative offset', { offset: -1, size: 10 }, []],
    ['offset past the end', { offset: 101, size: 0 }, []],
    ['size running one byte past the end', { offset: 1, size: 100 }, []],
    ['far out of range', { offset: 4294967296, size: 10 }, []],
    ['overlapping an earlier slice at its end', { offset: 49, size: 10 }, [[0, 50]]],
    ['inside an earlier slice', { offset: 10, size: 5 }, [[0, 50]]],
    ['covering an earlier slice', { offset: 0, size: 100 }, [[40, 10]]],
  ];
  it.each(bad)('%s is refused with a reason', (_name, a, taken) => {
    const r = sliceOf(args(a), blob, taken);
    expect(r.value).toBeNull();
    expect(r.message).toEqual(expect.any(String));
  });
});
