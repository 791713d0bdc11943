// Tests for extractCabinetFile on stored and MSZIP folders (CFDATA, MSZIP): exact bytes for every
// gcab fixture, and one finding per kind of damage, made by patching copies of the fixtures.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Findings } from '../wire/findings';
import { decodeFolderRange, scanFolderBlocks } from './folder-data';
import { extractCabinetFile, readCabinetDirectory } from './index';

const FIXTURES = join(__dirname, '../../test/fixtures/cab');
const load = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const expected: Record<string, { name: string; size: number; sha256: string }[]> = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** Offsets of CFFILE 0 and of the first CFDATA (fixtures have no reserve fields). */
const cffile = (b: Buffer): number => b.readUInt32LE(16);
const cfdata = (b: Buffer): number => b.readUInt32LE(36);
/** Offset of CFDATA `i` in the first folder. */
const cfdataAt = (b: Buffer, i: number): number => {
  let at = cfdata(b);
  for (let k = 0; k < i; k++) at += 8 + b.readUInt16LE(at + 4);
  return at;
};
const patched = (name: string, patch: (b: Buffer) => void): Buffer => {
  const b = Buffer.from(load(name));
  patch(b);
  return b;
};

describe('extractCabinetFile gives the exact original bytes', () => {
  const members = Object.entries(expected)
    .filter(([cab]) => !cab.startsWith('bomb'))
    .flatMap(([cab, files]) => files.map((f, i): [string, number, string, number, string] => [cab, i, f.name, f.size, f.sha256]));
  it.each(members)('%s file %d (%s, %d bytes)', (cab, fileIndex, _name, size, sha) => {
    const { value, findings } = extractCabinetFile(load(cab), { maxBytes: 10 * MiB, fileIndex });
    expect(findings).toEqual([]);
    expect(value!.length).toBe(size);
    expect(sha256(value!)).toBe(sha);
  });

  it('accepts a Uint8Array view that is not a Buffer', () => {
    const b = load('hello-stored.cab');
    const u8 = new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
    expect(extractCabinetFile(u8, { maxBytes: 1000 }).value!.toString('latin1')).toMatch(/^Hello, cabinet!/);
  });

  it('accepts a block whose csum is 0 (not computed)', () => {
    const r = extractCabinetFile(
      patched('hello-mszip.cab', (b) => b.writeUInt32LE(0, cfdata(b))),
      { maxBytes: 1000 },
    );
    expect(r.findings).toEqual([]);
    expect(sha256(r.value!)).toBe(expected['hello-mszip.cab'][0].sha256);
  });

  it('warns about a wrong csum and still extracts', () => {
    const cab = patched('hello-mszip.cab', (b) => b.writeUInt32LE(0x12345678, cfdata(b)));
    const r = extractCabinetFile(cab, { maxBytes: 1000 });
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'cab.checksum', specRef: 'MS-CAB CFDATA', level: 'warning', offset: cfdata(cab) })]);
    expect(sha256(r.value!)).toBe(expected['hello-mszip.cab'][0].sha256);
  });
});

describe('extractCabinetFile refuses damaged data', () => {
  // Patched copies of the fixtures; `at` is the offset of the first CFDATA block.
  const hello = (p: (b: Buffer, at: number) => void): Buffer => patched('hello-mszip.cab', (b) => p(b, cfdata(b)));
  const stored = (p: (b: Buffer, at: number) => void): Buffer => patched('hello-stored.cab', (b) => p(b, cfdata(b)));
  const MSZIP = 'MS-CAB MSZIP';
  const DATA = 'MS-CAB CFDATA';
  const FILE = 'MS-CAB CFFILE';
  type Case = [string, Buffer, { fileIndex?: number; maxBytes?: number }, string, string];
  const cases: Case[] = [
    ['a block without CK', hello((b, at) => b.write('ZZ', at + 8, 'latin1')), {}, 'cab.mszip-signature', MSZIP],
    ['a block shorter than CK', hello((b, at) => b.writeUInt16LE(1, at + 4)), {}, 'cab.mszip-signature', MSZIP],
    // 0xFF as the first deflate byte: BFINAL 1, BTYPE 11 (reserved), an invalid block type.
    ['corrupted deflate data', hello((b, at) => (b[at + 10] = 0xff)), {}, 'cab.inflate', MSZIP],
    ['deflate data cut short', hello((b, at) => b.writeUInt16LE(30, at + 4)), {}, 'cab.block-size', MSZIP],
    ['cbUncomp larger than the block inflates to', hello((b, at) => b.writeUInt16LE(100, at + 6)), {}, 'cab.block-size', MSZIP],
    // first.txt needs 40000 bytes: 32768 from block 0 and 7232 of block 1's 7287.
    ['cbUncomp smaller than the block inflates to', patched('two-files-mszip.cab', (b) => b.writeUInt16LE(7240, cfdataAt(b, 1) + 6)), {}, 'cab.block-size', MSZIP],
    ['cbUncomp over 32 KiB', hello((b, at) => b.writeUInt16LE(40000, at + 6)), {}, 'cab.block-size', DATA],
    ['a stored block with cbData != cbUncomp', stored((b, at) => b.writeUInt16LE(80, at + 6)), {}, 'cab.block-size', DATA],
    ['blocks that hold less than cbFile', hello((b) => b.writeUInt32LE(78, cffile(b))), {}, 'cab.file-size', DATA],
    ['cCFData too small for cbFile', patched('multiblock-mszip.cab', (b) => b.writeUInt16LE(3, 40)), {}, 'cab.file-size', DATA],
    ['CFDATA past the end', cutData('multiblock-mszip.cab', 1000), {}, 'cab.truncated', DATA],
    ['a file index past cFiles', load('hello-mszip.cab'), { fileIndex: 1 }, 'cab.no-files', FILE],
    ['a directory error', hello((b) => b.write('MSCX', 0, 'latin1')), {}, 'cab.signature', 'MS-CAB CFHEADER'],
    ['cbFile over maxBytes', load('multiblock-mszip.cab'), { maxBytes: 204799 }, 'cab.limit-exceeded', FILE],
    ['uoffFolderStart + cbFile over maxBytes', load('two-files-mszip.cab'), { fileIndex: 1, maxBytes: 40054 }, 'cab.limit-exceeded', FILE],
  ];
  it.each(cases)('%s', (_name, buf, opts, rule, specRef) => {
    const r = extractCabinetFile(buf, { maxBytes: MiB, ...opts });
    expect(r.value).toBeNull();
    expect(r.findings).toContainEqual(expect.objectContaining({ rule, specRef, level: 'error' }));
  });

  it('extracts exactly at the limit', () => {
    const r = extractCabinetFile(load('two-files-mszip.cab'), { fileIndex: 1, maxBytes: 40055 });
    expect(r.findings).toEqual([]);
    expect(r.value!.length).toBe(55);
  });

  it('stops decoding when the kept bytes would pass keepMax (defence behind the early check)', () => {
    const cab = load('multiblock-mszip.cab');
    const folder = readCabinetDirectory(cab).value!.folders[0];
    const range = { start: 0, end: 204800, dataReserve: 0 };
    const f = new Findings();
    const blocks = scanFolderBlocks(cab, folder, range, f)!;
    expect(blocks).toHaveLength(7);
    expect(decodeFolderRange(cab, blocks, { compression: 'mszip', range, keepMax: 40000 }, f)).toBeNull();
    expect(f.list).toEqual([expect.objectContaining({ rule: 'cab.limit-exceeded', offset: blocks[1].offset })]);
  });

  it('names the limit in the message', () => {
    const r = extractCabinetFile(load('multiblock-mszip.cab'), { maxBytes: 1000 });
    expect(r.findings[0].message).toContain('1000');
  });
});

/** A copy of `cab` whose last `n` bytes are gone and whose cbCabinet says so. */
function cutData(cab: string, n: number): Buffer {
  const full = load(cab);
  const b = Buffer.from(full.subarray(0, full.length - n));
  b.writeUInt32LE(b.length, 8);
  return b;
}
