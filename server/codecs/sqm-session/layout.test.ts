// Byte ranges of the decoded MS-SQMCS 4.1 capture: each field where the document puts it, and the
// leaves (header fields, section heads, data points, stream entries) tiling the body without gaps.

import { buildCabinet, buildSqmSession } from '../../testing';
import { extractCabinetFile } from '../../cab';
import { loadGolden } from '../../../test/helpers/sqm-session-fixtures';
import { decodeSqmSession } from './codec';
import { sqmSessionLayout } from './layout';
import type { SqmSession } from './types';

const decode = (buf: Buffer): SqmSession => decodeSqmSession(buf, { maxRawBytes: 1 << 20, decompress: (d, max) => extractCabinetFile(d, { maxBytes: max }) }).value!;
const golden = loadGolden();
const byLabel = (label: string) => sqmSessionLayout(decode(golden)).ranges.find((r) => r.label === label);

it.each([
  ['Signature', 0, 4, '1297175373 (0x4D51534D)'],
  ['HeaderLength', 4, 8, '120 (0x00000078)'],
  ['ClientUploadTime', 40, 48, '129575488714130000 (2011-08-11T15:07:51.413Z)'],
  ['ClientUniqueIdentifier', 72, 88, '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}'],
  ['StudyIdentifier', 104, 108, '0 (0x00000000)'],
  ['RawDataChecksum', 116, 120, '0 (0x00000000)'],
])('%s is bytes %i..%i', (label, start, end, value) => {
  expect(byLabel(label)).toMatchObject({ start, end, value, depth: 1 });
});

it('sections and their leaves tile the 4.1 capture from byte 120 to its end, in order', () => {
  const { ranges, omitted } = sqmSessionLayout(decode(golden));
  expect(omitted).toBe(0);
  const sections = ranges.filter((r) => /^session\.sections\[\d+\]$/.test(r.path));
  expect(sections.map((s) => s.label)).toEqual([
    'Section 0 DWORD (type 0x0)',
    'Section 1 STRING (type 0x3)',
    'Section 2 stream (type 0x5)',
    'Section 3 raw (type 0x1)',
    'Section 4 stream (type 0x5)',
  ]);
  let at = 120;
  for (const s of sections) {
    expect(s.start).toBe(at);
    const children = ranges.filter((r) => r.path.startsWith(`${s.path}.`));
    // A raw section has only its head; every other section is covered by its children exactly.
    const covered = children.reduce((pos, c) => (expect(c.start).toBe(pos), c.end), s.start);
    expect(covered).toBe(s.label.includes('raw') ? s.start + 8 : s.end);
    at = s.end;
  }
  expect(at).toBe(golden.length);
  expect(ranges.find((r) => r.path === 'session.sections[1].datapoints[2]')).toMatchObject({ label: 'DataPoint 780', value: '"100040219" (tick 0)' });
});

it('base and prefix shift a session inside a larger body; maxEntries counts what it leaves out', () => {
  const { ranges, omitted } = sqmSessionLayout(decode(golden), { base: 1000, prefix: 'sessions[0]', maxEntries: 5 });
  expect(ranges.find((r) => r.label === 'StudyIdentifier')).toMatchObject({ path: 'sessions[0].header.studyIdentifier', start: 1104, end: 1108 });
  expect(ranges.filter((r) => /datapoints|entries/.test(r.path))).toHaveLength(5);
  expect(omitted).toBe(41 + 3 + 3 + 3 - 5);
});

it('a compressed session: the cabinet is one range, its sections lie in the decompressed data', () => {
  const session = decode(
    buildSqmSession({
      sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }],
      header: { internalFlags: 1 },
      compress: (raw) => buildCabinet([{ name: 'session.bin', data: raw }]),
    }),
  );
  const { ranges } = sqmSessionLayout(session);
  expect(ranges.find((r) => r.path === 'session.data')).toMatchObject({ start: 120, end: 120 + session.data.length });
  const sections = ranges.filter((r) => r.path.includes('.sections['));
  expect(sections.length).toBeGreaterThan(0);
  expect(sections.every((r) => r.space === 'decompressed')).toBe(true);
});
