// The fileshare writer (issue 13 items 3 and 4): a copy is whole under its final name or absent
// (temp in the same folder, fsync, rename), a write failing mid-copy leaves nothing, a planted link
// (file or folder) is refused and what it points to stays as it was, and the temps a killed run
// left are removed at start.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanFileshareOrphans, removeFileshareCopy, writeFileshare } from './fileshare';

const SEGS = ['PersistedCabs', 'APPCRASH', '100', 'e6ac5534-d07e-43a8-9ade-32e1bdcdf403.cab'];
const BYTES = Buffer.from('MSCF\0\0\0\0' + 'x'.repeat(4096));
let tmp: string;
let root: string;
let outside: string;

/** Every file under `dir` (links listed, not followed), relative, sorted. */
const tree = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fileshare-test-'));
  root = path.join(tmp, 'share');
  outside = path.join(tmp, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('writeFileshare: atomic', () => {
  it('writes the bytes under the final name and leaves no temp beside it', () => {
    expect(writeFileshare(root, SEGS, BYTES)).toBe(SEGS.join('/'));
    expect(fs.readFileSync(path.join(root, ...SEGS))).toEqual(BYTES);
    expect(tree(root)).toEqual([path.join(...SEGS)]);
  });

  it('a write failing mid-copy (ENOSPC after half the bytes) throws and leaves no file under the final or the temp name', () => {
    const real = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Buffer, off: number, len: number) => {
      if (off > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      return real(fd, buf, off, Math.floor(len / 2));
    }) as typeof fs.writeSync);
    expect(() => writeFileshare(root, SEGS, BYTES)).toThrow(/ENOSPC/);
    expect(tree(root)).toEqual([]);
  });

  it('a failed rewrite leaves the earlier whole copy as it was', () => {
    writeFileshare(root, SEGS, BYTES);
    jest.spyOn(fs, 'fsyncSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    expect(() => writeFileshare(root, SEGS, Buffer.from('other'))).toThrow(/EIO/);
    expect(fs.readFileSync(path.join(root, ...SEGS))).toEqual(BYTES);
    expect(tree(root)).toEqual([path.join(...SEGS)]);
  });

  it('removeFileshareCopy removes a copy, and nothing a link points to', () => {
    writeFileshare(root, SEGS, BYTES);
    removeFileshareCopy(root, SEGS.join('/'));
    expect(tree(root)).toEqual([]);
    fs.writeFileSync(path.join(outside, 'victim'), 'keep');
    fs.symlinkSync(path.join(outside, 'victim'), path.join(root, 'link'));
    removeFileshareCopy(root, 'link');
    expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('keep');
  });
});

describe('writeFileshare: confined (links refused)', () => {
  it('a file link planted at the final name is refused; its target stays unchanged', () => {
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.mkdirSync(path.join(root, ...SEGS.slice(0, -1)), { recursive: true });
    fs.symlinkSync(victim, path.join(root, ...SEGS));
    expect(() => writeFileshare(root, SEGS, BYTES)).toThrow(/is a symbolic link/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.lstatSync(path.join(root, ...SEGS)).isSymbolicLink()).toBe(true);
  });

  it('a dangling file link (a file to be created outside) is refused and creates nothing', () => {
    fs.mkdirSync(path.join(root, ...SEGS.slice(0, -1)), { recursive: true });
    fs.symlinkSync(path.join(outside, 'new.txt'), path.join(root, ...SEGS));
    expect(() => writeFileshare(root, SEGS, BYTES)).toThrow(/symbolic link/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it.each([0, 1, 2])('a folder link planted at folder %d of the path is refused; nothing lands outside', (depth) => {
    fs.mkdirSync(path.join(root, ...SEGS.slice(0, depth)), { recursive: true });
    fs.symlinkSync(outside, path.join(root, ...SEGS.slice(0, depth + 1)));
    expect(() => writeFileshare(root, SEGS, BYTES)).toThrow(/is a symbolic link/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('a folder at the final name is refused, left as it was', () => {
    fs.mkdirSync(path.join(root, ...SEGS), { recursive: true });
    expect(() => writeFileshare(root, SEGS, BYTES)).toThrow(/not a file/);
    expect(fs.statSync(path.join(root, ...SEGS)).isDirectory()).toBe(true);
  });

  it('the root itself may be a link (the user chose it)', () => {
    const linked = path.join(tmp, 'linked-root');
    fs.symlinkSync(root, linked);
    expect(writeFileshare(linked, SEGS, BYTES)).toBe(SEGS.join('/'));
    expect(fs.readFileSync(path.join(root, ...SEGS))).toEqual(BYTES);
  });
});

describe('cleanFileshareOrphans: temps a killed run left, removed at start', () => {
  const DEAD_PID = 2 ** 22 + 17; // above Linux's pid_max: never a running process

  it('removes dead runs’ temps at any depth, keeps copies, other dot files and a running process’s temps', () => {
    const dir = path.join(root, ...SEGS.slice(0, -1));
    fs.mkdirSync(dir, { recursive: true });
    const orphan = `.${SEGS[3]}.${DEAD_PID}.0123456789abcdef.tmp`;
    const ours = `.x.xml.${process.pid}.fedcba9876543210.tmp`;
    const live = `.y.cab.${process.ppid}.00112233445566aa.tmp`;
    for (const f of [orphan, ours, live, SEGS[3], '.hidden.tmp']) fs.writeFileSync(path.join(dir, f), 'partial');
    fs.writeFileSync(path.join(root, `.top.cab.${DEAD_PID}.aa.tmp`), '');
    const sub = path.join('PersistedCabs', 'APPCRASH', '100');
    expect(cleanFileshareOrphans(root).sort()).toEqual([`.top.cab.${DEAD_PID}.aa.tmp`, `${sub}/${orphan}`, `${sub}/${ours}`].map((p) => p.split(path.sep).join('/')).sort());
    expect(fs.readdirSync(dir).sort()).toEqual([live, '.hidden.tmp', SEGS[3]].sort());
  });

  it('follows no folder link (an orphan-shaped file outside stays) and takes a missing root as nothing to clean', () => {
    const bait = `.z.cab.${DEAD_PID}.0123456789abcdef.tmp`;
    fs.writeFileSync(path.join(outside, bait), '');
    fs.symlinkSync(outside, path.join(root, 'PersistedCabs'));
    expect(cleanFileshareOrphans(root)).toEqual([]);
    expect(fs.readdirSync(outside)).toEqual([bait]);
    expect(cleanFileshareOrphans(path.join(tmp, 'missing'))).toEqual([]);
  });
});
