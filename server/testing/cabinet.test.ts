// buildCabinet against the cabinet reader (server/cab): directory and every file read back, MSZIP
// and stored, one file and many, across 32 KiB block boundaries; and against cabextract when it is installed.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractCabinetFile, readCabinetDirectory } from '../cab';
import { withTool } from '../../test/helpers/tools';
import { mulberry32 } from '../scenario/rng';
import { buildCabinet, type CabinetFile } from './cabinet';

const rnd = mulberry32(0xcab);
/** Bytes that deflate poorly (random) or well (repeated text). */
const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
const text = (n: number) => Buffer.from('SQM cabinet payload. '.repeat(Math.ceil(n / 21)).slice(0, n), 'latin1');

const sets: [string, CabinetFile[]][] = [
  ['one small file', [{ name: 'sqmdata', data: text(100) }]],
  ['an empty file', [{ name: 'empty.txt', data: Buffer.alloc(0) }]],
  ['one file over three blocks', [{ name: 'big.bin', data: noise(80_000) }]],
  [
    'three files sharing blocks',
    [
      { name: 'first.txt', data: text(40_000) },
      { name: 'second.bin', data: noise(30_000) },
      { name: 'third.txt', data: text(55) },
    ],
  ],
  ['a UTF-8 name', [{ name: 'rapport-été-報告.xml', data: text(10) }]],
];

describe.each(['mszip', 'none'] as const)('buildCabinet, %s', (compression) => {
  it.each(sets)('%s: the directory lists each file and each extracts byte for byte', (_name, files) => {
    const cab = buildCabinet(files, { compression });
    const dir = readCabinetDirectory(cab);
    expect(dir.findings).toEqual([]);
    expect(dir.value!.folders.map((f) => f.compression)).toEqual([compression]);
    expect(dir.value!.files.map((f) => [f.name, f.size])).toEqual(files.map((f) => [f.name, f.data.length]));
    expect(dir.value!.cbCabinet).toBe(cab.length);
    files.forEach((f, fileIndex) => {
      const out = extractCabinetFile(cab, { maxBytes: 1 << 20, fileIndex });
      expect(out.findings).toEqual([]);
      expect(out.value!.equals(Buffer.from(f.data))).toBe(true);
    });
  });
});

describe('buildCabinet', () => {
  it('takes one buffer as one file named sqmdata (or options.name)', () => {
    expect(readCabinetDirectory(buildCabinet(text(5))).value!.files.map((f) => f.name)).toEqual(['sqmdata']);
    expect(readCabinetDirectory(buildCabinet(text(5), { name: 'a.txt' })).value!.files.map((f) => f.name)).toEqual(['a.txt']);
  });

  it('compresses with MSZIP by default: repeated text shrinks', () => {
    const data = text(100_000);
    expect(buildCabinet(data).length).toBeLessThan(data.length / 10);
    expect(buildCabinet(data, { compression: 'none' }).length).toBeGreaterThan(data.length);
  });

  it('writes attribs, date and time as given', () => {
    const [f] = readCabinetDirectory(buildCabinet([{ name: 'x', data: text(1), attribs: 0x01, date: 0x1234, time: 0x5678 }])).value!.files;
    expect(f).toMatchObject({ attribs: 0x01, date: 0x1234, time: 0x5678 });
  });
});

// An independent reader: cabextract (libmspack) lists and tests what buildCabinet writes. Without it
// (apt-get install cabextract) these tests are skipped with a warning.
const describeCabextract = withTool('cabextract', 'the buildCabinet tests against cabextract').describe.each(['mszip', 'none'] as const);

describeCabextract('buildCabinet read by cabextract, %s', (compression) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cabextract-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(sets)('%s: cabextract -l lists each file with its size, -t checks each MD5', (name, files) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}-${compression}.cab`);
    fs.writeFileSync(file, buildCabinet(files, { compression }));
    const listed = execFileSync('cabextract', ['-l', file], { encoding: 'utf8' });
    const rows = [...listed.matchAll(/^\s*(\d+) \| [\d.]+ [\d:]+ \| (.+)$/gm)].map((m) => [m[2], Number(m[1])]);
    expect(rows).toEqual(files.map((f) => [f.name, f.data.length]));
    expect(listed).toContain('All done, no errors.');
    const tested = execFileSync('cabextract', ['-t', file], { encoding: 'utf8' });
    const sums = [...tested.matchAll(/^\s+(.+?)\s+OK\s+([0-9a-f]{32})$/gm)].map((m) => [m[1], m[2]]);
    expect(sums).toEqual(files.map((f) => [f.name, createHash('md5').update(f.data).digest('hex')]));
  });
});
