// Tests on cabinets built here byte by byte (CFHEADER with reserve fields, CFFOLDER typeCompress
// 3 LZX, UTF-8 names) and on the LZX fallback path, including the real cabextract when installed.

import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CabextractRunner, cabextractRunner, cfdataChecksum, extractCabinetFile, prefetchFallback, readCabinetDirectory, removeStaleFolders } from './index';
import { findOnPath } from './lzx-cabextract';

interface SynthCab {
  typeCompress: number;
  files: { name: string; size: number; attribs?: number }[];
  blocks: { data: Buffer; cbUncomp: number }[];
  /** cbCFHeader, cbCFFolder, cbCFData: when given, flags gets 0x4 and the reserve bytes are 0xAA. */
  reserve?: [number, number, number];
}

/** Encodes a one-folder cabinet; files follow each other in the folder. */
function buildCab(s: SynthCab): Buffer {
  const [rh, rf, rd] = s.reserve ?? [0, 0, 0];
  const head = Buffer.alloc(36);
  const reserve = s.reserve ? Buffer.concat([u16(rh), Buffer.from([rf, rd]), Buffer.alloc(rh, 0xaa)]) : Buffer.alloc(0);
  const folder = Buffer.concat([Buffer.alloc(8), Buffer.alloc(rf, 0xaa)]);
  let offset = 0;
  const files = Buffer.concat(
    s.files.map((f) => {
      const fixed = Buffer.alloc(16);
      fixed.writeUInt32LE(f.size, 0);
      fixed.writeUInt32LE(offset, 4);
      fixed.writeUInt16LE(f.attribs ?? 0x20, 14);
      offset += f.size;
      return Buffer.concat([fixed, Buffer.from(f.name, f.attribs && f.attribs & 0x80 ? 'utf8' : 'latin1'), Buffer.alloc(1)]);
    }),
  );
  const data = Buffer.concat(
    s.blocks.map((b) => {
      const after = Buffer.concat([u16(b.data.length), u16(b.cbUncomp), Buffer.alloc(rd, 0xaa)]);
      return Buffer.concat([u32(cfdataChecksum(b.data, after)), after, b.data]);
    }),
  );
  const coffFiles = head.length + reserve.length + folder.length;
  const coffCabStart = coffFiles + files.length;
  head.write('MSCF', 0, 'latin1');
  head.writeUInt32LE(coffCabStart + data.length, 8);
  head.writeUInt32LE(coffFiles, 16);
  head.set([3, 1], 24);
  head.writeUInt16LE(1, 26);
  head.writeUInt16LE(s.files.length, 28);
  head.writeUInt16LE(s.reserve ? 4 : 0, 30);
  folder.writeUInt32LE(coffCabStart, 0);
  folder.writeUInt16LE(s.blocks.length, 4);
  folder.writeUInt16LE(s.typeCompress, 6);
  return Buffer.concat([head, reserve, folder, files, data]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

const LZX_21 = 0x1503; // LZX, window 2^21 (bits 8-12)
const lzxCab = buildCab({
  typeCompress: LZX_21,
  files: [{ name: 'report.xml', size: 12 }],
  blocks: [{ data: Buffer.from('not really lzx'), cbUncomp: 12 }],
});

describe('synthetic cabinets', () => {
  it('reads reserve fields and skips them in CFFOLDER and CFDATA', () => {
    const cab = buildCab({
      typeCompress: 0,
      files: [
        { name: 'a.txt', size: 3 },
        { name: 'b.txt', size: 4 },
      ],
      blocks: [{ data: Buffer.from('abcdefg'), cbUncomp: 7 }],
      reserve: [6, 2, 5],
    });
    const dir = readCabinetDirectory(cab);
    expect(dir.findings).toEqual([]);
    expect(dir.value).toMatchObject({ flags: 4, dataReserve: 5, files: [{ name: 'a.txt' }, { name: 'b.txt' }] });
    expect(extractCabinetFile(cab, { maxBytes: 100, fileIndex: 1 }).value!.toString()).toBe('defg');
  });

  it('decodes a UTF-8 name when attribs has 0x80, Latin-1 otherwise', () => {
    const names = [
      { name: 'café.txt', size: 0, attribs: 0xa0 },
      { name: 'naïve.txt', size: 0 },
    ];
    const dir = readCabinetDirectory(buildCab({ typeCompress: 1, files: names, blocks: [] }));
    expect(dir.value!.files.map((f) => f.name)).toEqual(['café.txt', 'naïve.txt']);
  });

  it('reports the LZX folder and its compression name', () => {
    expect(readCabinetDirectory(lzxCab).value!.folders[0]).toMatchObject({ compression: 'lzx', typeCompress: LZX_21 });
  });
});

describe('LZX and the fallback', () => {
  it('says "LZX not supported" when no fallback is given', () => {
    const r = extractCabinetFile(lzxCab, { maxBytes: 1000 });
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'cab.compression-unsupported', specRef: 'MS-CAB CFFOLDER', level: 'error' })]);
    expect(r.findings[0].message).toContain('LZX not supported');
  });

  it('calls the fallback with the cabinet, the file index and the limit, and returns its bytes', () => {
    const fallback = jest.fn((_cab: Buffer, _i: number, _max: number) => Buffer.from('<report/>\n\n\n'));
    const r = extractCabinetFile(lzxCab, { maxBytes: 1000, fallback });
    expect(r.findings).toEqual([]);
    expect(r.value!.toString()).toBe('<report/>\n\n\n');
    expect(fallback).toHaveBeenCalledWith(lzxCab, 0, 1000);
  });

  type Case = [string, Buffer | string, number, string];
  const cases: Case[] = [
    ['a failure reason', 'window too large', 1000, 'cab.compression-unsupported'],
    ['more bytes than maxBytes', Buffer.alloc(13), 12, 'cab.limit-exceeded'],
    ['a length other than cbFile', Buffer.alloc(5), 1000, 'cab.file-size'],
  ];
  it.each(cases)('refuses a fallback that returns %s', (_name, answer, maxBytes, rule) => {
    const r = extractCabinetFile(lzxCab, { maxBytes, fallback: () => answer });
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ rule, level: 'error' })]);
  });

  it('refuses cbFile over maxBytes before the fallback runs', () => {
    const fallback = jest.fn(() => Buffer.alloc(12));
    expect(extractCabinetFile(lzxCab, { maxBytes: 11, fallback }).findings[0].rule).toBe('cab.limit-exceeded');
    expect(fallback).not.toHaveBeenCalled();
  });

  it('does not call the fallback for an unknown compression type', () => {
    const fallback = jest.fn(() => Buffer.alloc(0));
    const cab = buildCab({ typeCompress: 7, files: [{ name: 'x', size: 0 }], blocks: [] });
    expect(extractCabinetFile(cab, { maxBytes: 10, fallback }).findings[0].rule).toBe('cab.compression-unsupported');
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe('CabextractRunner (the real cabextract, when installed)', () => {
  const installed = findOnPath('cabextract') !== undefined;
  const fixtures = join(__dirname, '../../test/fixtures/cab');
  if (!installed) {
    console.warn('cabextract is not on PATH: the real-cabextract tests are skipped (apt-get install cabextract); the fake-helper tests below still run');
  }
  const itIfInstalled = installed ? it : it.skip;

  it('is undefined exactly when cabextract is not on PATH', () => {
    const runner = cabextractRunner();
    expect(runner === undefined).toBe(!installed);
    runner?.close();
    expect(findOnPath('cabextract', '/nonexistent-dir')).toBeUndefined();
  });

  itIfInstalled('extracts the MSZIP fixtures byte for byte (cabextract handles any type)', async () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
    const runner = cabextractRunner()!;
    for (const [cab, fileIndex] of [
      ['multiblock-mszip.cab', 0],
      ['two-files-mszip.cab', 1],
    ] as const) {
      const out = await runner.run(readFileSync(join(fixtures, cab)), fileIndex, 1 << 20);
      expect(Buffer.isBuffer(out)).toBe(true);
      expect(createHash('sha256').update(out).digest('hex')).toBe(expected[cab][fileIndex].sha256);
    }
    runner.close();
  });

  itIfInstalled('stops cabextract at maxBytes + 1 bytes of output', async () => {
    const runner = cabextractRunner()!;
    const out = await runner.run(readFileSync(join(fixtures, 'bomb-mszip.cab')), 0, 1 << 20);
    runner.close();
    expect(typeof out).toBe('string');
    expect(out).toMatch(/maxBuffer/);
  });
});

describe('CabextractRunner with a stand-in helper (same command line: -q -p -F NAME FILE)', () => {
  let dir: string;
  let tmp: string;
  /** A helper script that records its cabinet path, then runs `body` (sh). */
  const helper = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\necho "$5" > "${dir}/${name}.arg"\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const runWith = (bin: string, maxBytes = 1000, timeoutMs = 5000) => {
    const runner = new CabextractRunner({ bin, tmp, timeoutMs });
    return runner.run(lzxCab, 0, maxBytes).finally(() => runner.close());
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cab-runner-test-'));
    tmp = join(dir, 'tmp');
    mkdirSync(tmp);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does not block the event loop: a 10 ms timer keeps ticking during a 400 ms extraction', async () => {
    const bin = helper('slow-ok', "sleep 0.4; printf '<report/>\\n\\n\\n'");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const out = await runWith(bin);
    clearInterval(timer);
    expect(out).toEqual(Buffer.from('<report/>\n\n\n'));
    // spawnSync would have given 0 ticks; allow for a slow, shared machine.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('writes the cabinet to a cab-fallback-<pid>- folder under tmp and removes it after', async () => {
    const bin = helper('ok', 'test -f "$5" && printf \'<report/>\\n\\n\\n\'');
    expect(Buffer.isBuffer(await runWith(bin))).toBe(true);
    const used = readFileSync(join(dir, 'ok.arg'), 'utf8').trim();
    expect(used.startsWith(join(tmp, `cab-fallback-${process.pid}-`))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    ['a helper over the time limit', 'sleep 5', /no result within 200 ms/],
    ['output past maxBytes', 'head -c 2000000 /dev/zero', /passed 1000 bytes \(maxBuffer\)/],
    ['a non-zero exit', 'echo broken >&2; exit 3', /exited 3: broken/],
  ])('%s → a reason, and the folder is gone', async (name, body, reason) => {
    const bin = helper(name.replace(/\W+/g, '-'), body);
    const out = await runWith(bin, 1000, 200);
    expect(out).toMatch(reason);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a missing binary → a reason, not a throw', async () => {
    expect(await runWith(join(dir, 'nope'))).toMatch(/cabextract: .*ENOENT/);
  });

  it('close() kills a running helper and removes its folder', async () => {
    const runner = new CabextractRunner({ bin: helper('hang', 'sleep 30'), tmp, timeoutMs: 60_000 });
    const pending = runner.run(lzxCab, 0, 1000);
    await until(() => readdirSync(tmp).length === 1 && existsSync(join(dir, 'hang.arg')));
    runner.close();
    expect(readdirSync(tmp)).toEqual([]);
    expect(typeof (await pending)).toBe('string');
  });

  it('removeStaleFolders: removes a dead process’s folders and old unnamed ones, keeps live ones', async () => {
    const dead = await deadPid();
    const names = [`cab-fallback-${dead}-abc`, `cab-fallback-${process.pid}-def`, 'cab-fallback-Xy12Zq', 'cab-fallback-fresh1', 'unrelated'];
    for (const n of names) {
      mkdirSync(join(tmp, n));
      writeFileSync(join(tmp, n, 'in.cab'), Buffer.alloc(1024));
    }
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(tmp, 'cab-fallback-Xy12Zq'), old, old);
    const removed = removeStaleFolders(tmp);
    expect(removed.sort()).toEqual([join(tmp, `cab-fallback-${dead}-abc`), join(tmp, 'cab-fallback-Xy12Zq')].sort());
    expect(readdirSync(tmp).sort()).toEqual([`cab-fallback-${process.pid}-def`, 'cab-fallback-fresh1', 'unrelated']);
  });

  it('prefetchFallback: finds the LZX cabinet inside a body, extracts it first, then answers synchronously', async () => {
    const bin = helper('ok', "printf '<report/>\\n\\n\\n'");
    const runner = new CabextractRunner({ bin, tmp });
    const body = Buffer.concat([Buffer.from('MSCF but not a cabinet; '), lzxCab, Buffer.from('trailing')]);
    const fallback = await prefetchFallback(body, runner, 1000);
    runner.close();
    const r = extractCabinetFile(body.subarray(24), { maxBytes: 1000, fallback });
    expect(r.value).toEqual(Buffer.from('<report/>\n\n\n'));
    const other = buildCab({ typeCompress: LZX_21, files: [{ name: 'other.xml', size: 12 }], blocks: [{ data: Buffer.from('other'), cbUncomp: 12 }] });
    expect(extractCabinetFile(other, { maxBytes: 1000, fallback }).findings[0].message).toMatch(/not among those extracted/);
    expect(await prefetchFallback(body, undefined, 1000)).toBeUndefined();
  });
});

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pid of a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('true');
    child.on('exit', () => resolve(child.pid!));
  });
}
