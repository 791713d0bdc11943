// Every SQM v1 finding rule, from a session built to break it (MS-SQMCS 2.2.4, 3.2.5.2, 3.2.5.3),
// plus valid sessions that must produce none; each decoded vector is re-encoded byte for byte.

import { decodeSqmSession, encodeSqmSession, type DecodeOptions } from './codec';
import { buildSqmSession, type BuildOptions } from '../../testing/sqm-session';
import { SQM_V1_RULES } from './rules';
import { fakeCompress, fakeDecompress, loadGolden, ruleKeys } from '../../../test/helpers/sqm-session-fixtures';
import type { Finding } from '../../wire/findings';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const b = (o: BuildOptions): Buffer => buildSqmSession(o);
const dword = { type: 'dword', datapoints: [{ id: 6, value: 7601 }] } as const;
const OPTS: DecodeOptions = { maxRawBytes: 1 << 20, decompress: fakeDecompress };
const seen = new Set<string>();
const check = (bytes: Buffer, expected: string[], opts: DecodeOptions = OPTS): Finding[] => {
  const { value, findings } = decodeSqmSession(bytes, opts);
  findings.forEach((f) => seen.add(f.rule));
  expect(ruleKeys(findings)).toEqual([...expected].sort());
  for (const f of findings) if (f.rule.startsWith('sqm-v1.')) expect(f.level).toBe(SQM_V1_RULES[f.rule as keyof typeof SQM_V1_RULES].level);
  if (value !== null) expect(encodeSqmSession(value).equals(bytes)).toBe(true);
  return findings;
};

const valid: Array<[string, Buffer]> = [
  ['header only', b({})],
  ['one DWORD section', b({ sections: [dword] })],
  ['QWORD with a 64-bit value', b({ sections: [{ type: 'qword', datapoints: [{ id: 1, value: 0xffffffffffffffffn, tickCount: 9 }] }] })],
  [
    'STRING, document layout',
    b({
      sections: [
        {
          type: 'string',
          datapoints: [
            { id: 1, value: 'abc' },
            { id: 2, value: '' },
          ],
        },
      ],
    }),
  ],
  [
    'empty DWORD and STRING sections',
    b({
      sections: [
        { type: 'dword', datapoints: [] },
        { type: 'string', datapoints: [] },
      ],
    }),
  ],
  [
    'non-ASCII and unpaired surrogate strings',
    b({
      sections: [
        {
          type: 'string',
          datapoints: [
            { id: 1, value: 'Ärger \u{1F600}' },
            { id: 2, value: 'x\ud800y' },
          ],
        },
      ],
    }),
  ],
  [
    'stream with all three record types',
    b({
      sections: [
        {
          type: 'stream',
          streamIdentifier: 7,
          countPerRecord: 3,
          countRecords: 1,
          entries: [
            { entryType: 0x0, value: 1 },
            { entryType: 0x6, value: 2n ** 40n },
            { entryType: 0x3, value: 'hi' },
          ],
        },
      ],
    }),
  ],
  ['stream with no records', b({ sections: [{ type: 'stream', streamIdentifier: 1, countPerRecord: 0, countRecords: 0, entries: [] }] })],
  ['RequestManifestVersion (InternalFlags bit 3) and every Flags bit the document lists', b({ header: { internalFlags: 0x8, flags: 0x6cd }, sections: [dword] })],
  [
    'all four types together',
    b({
      sections: [
        dword,
        { type: 'qword', datapoints: [{ id: 2, value: 3n }] },
        { type: 'string', datapoints: [{ id: 3, value: 'v' }] },
        { type: 'stream', streamIdentifier: 4, entries: [{ entryType: 0x0, value: 5 }] },
      ],
    }),
  ],
];

it.each(valid)('%s: no findings, exact round trip', (_name, bytes) => {
  check(bytes, []);
});

const broken: Array<[string, Buffer, string[]]> = [
  ['empty body', Buffer.alloc(0), ['sqm-v1.truncated@2.2.4.1']],
  ['119 bytes', b({}).subarray(0, 119), ['sqm-v1.truncated@2.2.4.1']],
  ['signature MSQN', b({ header: { signature: 0x4e51534d } }), ['sqm-v1.signature@2.2.4.1']],
  ['HeaderLength 0x70 (sections still read at 120)', b({ header: { headerLength: 0x70 }, sections: [dword] }), ['sqm-v1.header-length@2.2.4.1']],
  ['HeaderLength 0x80 with 8 extra header bytes', b({ headerExtension: hex('0102030405060708'), sections: [dword] }), ['sqm-v1.header-length@2.2.4.1']],
  ['HeaderLength past the end', b({ header: { headerLength: 0xffff }, sections: [dword] }), ['sqm-v1.header-length@2.2.4.1']],
  ['Reserved non-zero', b({ header: { reserved: 1n } }), ['sqm-v1.reserved@2.2.4.1']],
  ['InternalFlags bit 1 (Windows 7 sets it)', b({ header: { internalFlags: 0x2 } }), ['sqm-v1.internal-flags@2.2.4.1']],
  ['InternalFlags bit 31 (no known client)', b({ header: { internalFlags: 0x80000000 } }), ['sqm-v1.internal-flags-reserved@2.2.4.1']],
  ['InternalFlags bits 1 and 2', b({ header: { internalFlags: 0x6 } }), ['sqm-v1.internal-flags@2.2.4.1', 'sqm-v1.internal-flags-reserved@2.2.4.1']],
  ['Flags bits the document reserves (1, 4, 5, 8) and does not list (31)', b({ header: { flags: 0x80000132 } }), ['sqm-v1.flags@2.2.4.1']],
  ['RawDataLength on an uncompressed session', b({ header: { rawDataLength: 5 }, sections: [dword] }), ['sqm-v1.raw-fields-uncompressed@2.2.4.1']],
  ['RawDataChecksum on an uncompressed session', b({ header: { rawDataChecksum: 5 } }), ['sqm-v1.raw-fields-uncompressed@2.2.4.1']],
  ['DataLength too large', b({ header: { dataLength: 999 }, sections: [dword] }), ['sqm-v1.data-length@3.2.5.3']],
  ['body cut inside a section', b({ sections: [dword] }).subarray(0, 130), ['sqm-v1.data-length@3.2.5.3', 'sqm-v1.data-checksum@3.2.5.3', 'sqm-v1.section-overrun@2.2.4.3']],
  ['DataChecksum wrong', b({ header: { dataChecksum: 0xdeadbeef }, sections: [dword] }), ['sqm-v1.data-checksum@3.2.5.3']],
  ['SectionLength past the data', b({ sections: [{ ...dword, length: 24 }] }), ['sqm-v1.section-overrun@2.2.4.3']],
  ['SectionCount 3 for 1 section', b({ header: { sectionCount: 3 }, sections: [dword] }), ['sqm-v1.section-count@2.2.4.1']],
  ['3 trailing bytes', b({ sections: [dword], trailing: hex('aabbcc') }), ['sqm-v1.trailing-bytes@2.2.4.3']],
  ['7 bytes of data and no section', b({ trailing: hex('00000000000000') }), ['sqm-v1.trailing-bytes@2.2.4.3']],
  ['section type 0x7', b({ sections: [{ type: 7, raw: hex('0102') }] }), ['sqm-v1.section-type@2.2.4.3']],
  ['DWORD SectionLength 13', b({ sections: [{ type: 0, raw: Buffer.alloc(13) }] }), ['sqm-v1.dword-length@2.2.4.4.1.1']],
  ['QWORD SectionLength 12', b({ sections: [{ type: 6, raw: Buffer.alloc(12) }] }), ['sqm-v1.qword-length@2.2.4.4.1.2']],
  ['STRING shorter than its StringLength', b({ sections: [{ type: 3, raw: hex('01000000 00000000 05000000 41004200') }] }), ['sqm-v1.string-length@2.2.4.4.1.3']],
  [
    'STRING in the windows layout',
    b({ sections: [{ type: 'string', layout: 'windows', datapoints: [{ id: 9, value: 'abc', trailer: '0000abcd' }] }] }),
    ['sqm-v1.string-layout@2.2.4.4.1.3'],
  ],
  [
    'stream STRING records in the windows layout',
    b({ sections: [{ type: 'stream', streamIdentifier: 1, layout: 'windows', entries: [{ entryType: 0x3, value: 'xy' }] }] }),
    ['sqm-v1.string-layout@2.2.4.4.2.3.3'],
  ],
  ['stream section shorter than its header', b({ sections: [{ type: 5, raw: Buffer.alloc(8) }] }), ['sqm-v1.stream-header@2.2.4.4.2.1']],
  [
    'stream declaring 3 × 3 with 2 records',
    b({
      sections: [
        {
          type: 'stream',
          streamIdentifier: 1,
          countPerRecord: 3,
          countRecords: 3,
          entries: [
            { entryType: 0x0, value: 1 },
            { entryType: 0x0, value: 2 },
          ],
        },
      ],
    }),
    ['sqm-v1.stream-counts@2.2.4.4.2.1'],
  ],
  ['stream record of type 9', b({ sections: [{ type: 'stream', streamIdentifier: 1, entries: [{ entryType: 9, raw: Buffer.alloc(8) }] }] }), ['sqm-v1.stream-entry@2.2.4.4.2.2']],
  [
    'stream DWORD record cut short',
    b({ sections: [{ type: 'stream', streamIdentifier: 1, entries: [{ entryType: 0, raw: Buffer.alloc(4) }] }] }),
    ['sqm-v1.stream-entry@2.2.4.4.2.2'],
  ],
  ['stream with 2 bytes after its last record', b({ sections: [{ type: 5, raw: hex('01000000 01000000 01000000 0000') }] }), ['sqm-v1.stream-entry@2.2.4.4.2.2']],
];

it.each(broken)('%s', (_name, bytes, expected) => {
  check(bytes, expected);
});

const section = {
  type: 'dword',
  datapoints: [
    { id: 1, value: 2 },
    { id: 3, value: 4 },
  ],
} as const;
const compressed = (o: BuildOptions = {}): Buffer => b({ sections: [section], compress: fakeCompress, ...o });
const noCab: DecodeOptions = { maxRawBytes: 1 << 20 };
const cases: Array<[string, Buffer, DecodeOptions, string[]]> = [
  ['compressed, consistent', compressed(), OPTS, []],
  ['compressed, no decompressor', compressed(), noCab, ['sqm-v1.compression-unavailable@3.2.5.2']],
  [
    'compressed, decompressor throws',
    compressed(),
    {
      ...noCab,
      decompress: () => {
        throw new Error('boom');
      },
    },
    ['sqm-v1.decompress-failed@3.2.5.2'],
  ],
  ['compressed, decompressor returns nothing', compressed(), { ...noCab, decompress: () => ({ value: null, findings: [] }) }, ['sqm-v1.decompress-failed@3.2.5.2']],
  ['compressed, DataLength wrong', compressed({ header: { dataLength: 1 } }), OPTS, ['sqm-v1.data-length@3.2.5.2']],
  ['compressed, DataChecksum wrong', compressed({ header: { dataChecksum: 1 } }), OPTS, ['sqm-v1.data-checksum@3.2.5.2']],
  ['compressed, RawDataChecksum wrong', compressed({ header: { rawDataChecksum: 1 } }), OPTS, ['sqm-v1.raw-data-checksum@3.2.5.2']],
  ['compressed, RawDataLength above the real length', compressed({ header: { rawDataLength: 100 } }), OPTS, ['sqm-v1.raw-data-length@3.2.5.2']],
  ['compressed, RawDataLength below the real length (decompressor caps)', compressed({ header: { rawDataLength: 8 } }), OPTS, ['fake.too-big@test']],
  ['compressed, RawDataLength over maxRawBytes', compressed(), { ...OPTS, maxRawBytes: 16 }, ['sqm-v1.raw-data-length@3.2.5.2', 'fake.too-big@test']],
  ['compressed, unknown section type inside', compressed({ sections: [{ type: 7, raw: hex('01') }] }), OPTS, ['sqm-v1.section-type@2.2.4.3']],
  // Issue 13 item 2: the decoder's own bounds (a warning; the rest is kept as bytes, re-encoded exactly).
  ['3 sections over a limit of 2', b({ sections: [dword, dword, dword] }), { ...OPTS, limits: { maxSections: 2, maxEntriesPerSection: 10 } }, ['sqm-v1.decode-limit@2.2.4.3']],
  [
    'a DWORD section of 3 points over a limit of 2',
    b({ sections: [section, dword] }),
    { ...OPTS, limits: { maxSections: 10, maxEntriesPerSection: 1 } },
    ['sqm-v1.decode-limit@2.2.4.4'],
  ],
  [
    'a stream of 2 entries over a limit of 1',
    // Stream header (id 1, 2 × 1), then two DWORD records (type, tickCount, value).
    b({ sections: [{ type: 5, raw: hex('01000000 02000000 01000000  00000000 00000000 01000000  00000000 00000000 02000000') }] }),
    { ...OPTS, limits: { maxSections: 10, maxEntriesPerSection: 1 } },
    ['sqm-v1.decode-limit@2.2.4.4'],
  ],
];

it.each(cases)('%s', (_name, bytes, opts, expected) => {
  check(bytes, expected, opts);
});

describe('finding offsets', () => {
  it('are session offsets for uncompressed sessions, shifted by a longer header', () => {
    const unknown = { type: 7, raw: hex('01') };
    expect(check(b({ sections: [dword, unknown] }), ['sqm-v1.section-type@2.2.4.3'])[0].offset).toBe(120 + 20);
    const ext = b({ headerExtension: Buffer.alloc(8), sections: [unknown] });
    expect(check(ext, ['sqm-v1.header-length@2.2.4.1', 'sqm-v1.section-type@2.2.4.3'])[1].offset).toBe(128);
  });

  it('are decompressed-data offsets for compressed sessions, and the message says so', () => {
    const [f] = check(compressed({ sections: [dword, { type: 7, raw: hex('01') }] }), ['sqm-v1.section-type@2.2.4.3']);
    expect(f.offset).toBe(20);
    expect(f.message).toMatch(/decompressed/);
  });

  it('point at the record that breaks a stream', () => {
    const bytes = b({
      sections: [
        {
          type: 'stream',
          streamIdentifier: 1,
          entries: [
            { entryType: 0, value: 1 },
            { entryType: 9, raw: Buffer.alloc(8) },
          ],
        },
      ],
    });
    expect(check(bytes, ['sqm-v1.stream-entry@2.2.4.4.2.2'])[0].offset).toBe(120 + 8 + 12 + 12);
  });
});

describe('decoded values of broken sessions', () => {
  const opts = OPTS;
  it('a truncated session has no value', () => {
    expect(decodeSqmSession(Buffer.alloc(50), opts)).toMatchObject({ value: null, bytesRead: 0 });
  });
  it('an overrunning section keeps what is there, raw', () => {
    const s = decodeSqmSession(b({ sections: [dword, { ...dword, length: 100 }] }), opts).value!;
    expect(s.sections[1]).toMatchObject({ typeName: 'raw', reason: 'undecodable', length: 100 });
    expect((s.sections[1] as { raw: Buffer }).raw).toHaveLength(12);
  });
  it('trailing bytes are kept apart from the sections', () => {
    const s = decodeSqmSession(b({ sections: [dword], trailing: hex('aabb') }), opts).value!;
    expect(s.sections).toHaveLength(1);
    expect(s.trailing).toEqual(hex('aabb'));
  });
  it('a compressed session exposes both the cabinet and the decompressed data', () => {
    const s = decodeSqmSession(compressed(), opts).value!;
    expect(s.compressed).toBe(true);
    expect(s.data.subarray(0, 4).toString()).toBe('FAKE');
    expect(s.rawData.equals(s.data.subarray(4))).toBe(true);
    expect(s.computed.rawDataChecksum).toBe(s.header.rawDataChecksum);
    expect(s.sections[0]).toMatchObject({ typeName: 'dword', datapoints: section.datapoints.map((p) => ({ ...p, tickCount: 0 })) });
  });
  it('a compressed session that cannot be decompressed has no sections and empty rawData', () => {
    const s = decodeSqmSession(compressed(), noCab).value!;
    expect(s.sections).toEqual([]);
    expect(s.rawData).toHaveLength(0);
  });
});

describe('decoding limits (issue 13 item 2)', () => {
  // 200,000 empty DWORD sections (8 bytes each, SectionLength 0): valid, and far past any real session.
  const pathological = buildSqmSession({ trailing: Buffer.alloc(200_000 * 8), header: { sectionCount: 200_000 } });

  it('200,000 empty DWORD sections: the first 10,000 decoded, the rest kept undecoded, in bounded time', () => {
    const started = performance.now();
    const { value, findings } = decodeSqmSession(pathological, OPTS);
    const ms = performance.now() - started;
    expect(value!.sections).toHaveLength(10_000);
    expect(value!.undecoded).toHaveLength((200_000 - 10_000) * 8);
    expect(findings.map((f) => [f.rule, f.level, f.specRef, f.offset])).toEqual([['sqm-v1.decode-limit', 'warning', 'MS-SQMCS 2.2.4.3', 120 + 10_000 * 8]]);
    expect(findings[0].message).toContain('more than 10000 sections');
    // Before: 3.9 s for these bytes (a Buffer view and an object spread per section), unbounded in count.
    expect(ms).toBeLessThan(5000);
    expect(encodeSqmSession(value!).equals(pathological)).toBe(true);
  });

  it('a section over the entry limit is kept raw (reason over-limit)', () => {
    const { value } = decodeSqmSession(b({ sections: [section] }), { ...OPTS, limits: { maxSections: 10, maxEntriesPerSection: 1 } });
    expect(value!.sections[0]).toMatchObject({ typeName: 'raw', reason: 'over-limit', length: 24 });
  });
});

it('the golden vector and the tables together exercise every rule in SQM_V1_RULES', () => {
  decodeSqmSession(loadGolden(), OPTS).findings.forEach((f) => seen.add(f.rule));
  expect([...seen].filter((r) => r.startsWith('sqm-v1.')).sort()).toEqual(Object.keys(SQM_V1_RULES).sort());
});
