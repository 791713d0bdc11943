// Tests for readCabinetDirectory (CFHEADER, CFFOLDER, CFFILE) and the CFDATA checksum, on the
// gcab fixtures in test/fixtures/cab/ (made by scripts/make-cab-fixtures.sh) and patched copies.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCabinetDirectory, cfdataChecksum } from './index';

const FIXTURES = join(__dirname, '../../test/fixtures/cab');
const load = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const expected: Record<string, { name: string; size: number; sha256: string }[]> = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
/** A copy of a fixture with `patch` applied. */
const patched = (name: string, patch: (b: Buffer) => void): Buffer => {
  const b = Buffer.from(load(name));
  patch(b);
  return b;
};
const rules = (r: { findings: { rule: string }[] }): string[] => r.findings.map((f) => f.rule);

describe('readCabinetDirectory on gcab fixtures', () => {
  it.each(Object.keys(expected))('%s lists the names and sizes gcab was given', (cab) => {
    const { value, findings } = readCabinetDirectory(load(cab));
    expect(findings).toEqual([]);
    expect(value!.files.map((f) => ({ name: f.name, size: f.size }))).toEqual(expected[cab].map((e) => ({ name: e.name, size: e.size })));
  });

  const cases: [string, string, number][] = [
    ['hello-stored.cab', 'none', 0],
    ['hello-mszip.cab', 'mszip', 1],
    ['multiblock-mszip.cab', 'mszip', 1],
  ];
  it.each(cases)('%s has one %s folder (typeCompress %d)', (cab, compression, typeCompress) => {
    const { value } = readCabinetDirectory(load(cab));
    expect(value!.folders).toHaveLength(1);
    expect(value!.folders[0]).toMatchObject({ compression, typeCompress });
    expect(value!.cbCabinet).toBe(value!.size);
  });

  it('gives the second file of two its folder offset', () => {
    const { value } = readCabinetDirectory(load('two-files-mszip.cab'));
    expect(value!.files.map((f) => [f.folderIndex, f.offsetInFolder])).toEqual([
      [0, 0],
      [0, 40000],
    ]);
    expect(value!.folders[0].dataBlocks).toBe(2);
  });
});

describe('readCabinetDirectory on bad input', () => {
  const hello = load('hello-mszip.cab');
  const patch = (p: (b: Buffer) => void): Buffer => patched('hello-mszip.cab', p);
  const HEADER = 'MS-CAB CFHEADER';
  const bad: [string, Buffer, string, string][] = [
    ['an empty buffer', Buffer.alloc(0), 'cab.truncated', HEADER],
    ['a PE header', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'cab.signature', HEADER],
    ['a bad signature', patch((b) => b.write('MSCG', 0, 'latin1')), 'cab.signature', HEADER],
    ['20 bytes', hello.subarray(0, 20), 'cab.truncated', HEADER],
    ['a cabinet cut short', hello.subarray(0, hello.length - 1), 'cab.truncated', HEADER],
    ['CFFILE cut short (cbCabinet patched to match)', cutAt(hello, 60), 'cab.truncated', 'MS-CAB CFFILE'],
    [
      'CFFOLDER cut short',
      cutAt(
        patch((b) => b.writeUInt32LE(36, 16)),
        40,
      ),
      'cab.truncated',
      'MS-CAB CFFOLDER',
    ],
    ['coffFiles past the end', patch((b) => b.writeUInt32LE(5000, 16)), 'cab.header', HEADER],
    ['cFolders 0 with a file', patch((b) => b.writeUInt16LE(0, 26)), 'cab.header', HEADER],
    ['cFiles 0', patch((b) => b.writeUInt16LE(0, 28)), 'cab.no-files', HEADER],
    ['a next-cabinet flag', patch((b) => b.writeUInt16LE(2, 30)), 'cab.multi-cabinet', HEADER],
    ['iFolder 0xFFFD', patch((b) => b.writeUInt16LE(0xfffd, b.readUInt32LE(16) + 8)), 'cab.multi-cabinet', 'MS-CAB CFFILE'],
    ['iFolder out of range', patch((b) => b.writeUInt16LE(3, b.readUInt32LE(16) + 8)), 'cab.header', 'MS-CAB CFFILE'],
    ['coffCabStart past the end', patch((b) => b.writeUInt32LE(9999, 36)), 'cab.header', 'MS-CAB CFFOLDER'],
  ];
  it.each(bad)('refuses %s', (_name, buf, rule, specRef) => {
    const r = readCabinetDirectory(buf);
    expect(r.value).toBeNull();
    expect(r.findings).toContainEqual(expect.objectContaining({ rule, specRef, level: 'error' }));
  });

  it('warns about an unexpected version but still reads the directory', () => {
    const r = readCabinetDirectory(patch((b) => (b[25] = 2)));
    expect(r.value!.files[0].name).toBe('hello.txt');
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'cab.header', level: 'warning', offset: 24 })]);
  });

  it('warns about bytes after cbCabinet', () => {
    const r = readCabinetDirectory(Buffer.concat([hello, Buffer.alloc(3)]));
    expect(r.value!.cbCabinet).toBe(hello.length);
    expect(rules(r)).toEqual(['cab.header']);
  });

  it('never throws on any prefix of a fixture', () => {
    const cab = load('two-files-mszip.cab');
    for (let n = 0; n < 200; n++) expect(readCabinetDirectory(cab.subarray(0, n)).value).toBeNull();
  });
});

describe('cfdataChecksum', () => {
  it.each(['hello-stored.cab', 'hello-mszip.cab', 'multiblock-mszip.cab', 'two-files-mszip.cab'])('matches the csum gcab wrote in every CFDATA of %s', (cab) => {
    const b = load(cab);
    let at = b.readUInt32LE(36);
    for (let i = 0; i < b.readUInt16LE(40); i++) {
      const cbData = b.readUInt16LE(at + 4);
      expect(cfdataChecksum(b.subarray(at + 8, at + 8 + cbData), b.subarray(at + 4, at + 8))).toBe(b.readUInt32LE(at));
      at += 8 + cbData;
    }
  });
});

/** The first `n` bytes of `cab`, with cbCabinet patched to say `n`. */
function cutAt(cab: Buffer, n: number): Buffer {
  const b = Buffer.from(cab.subarray(0, n));
  b.writeUInt32LE(n, 8);
  return b;
}
