// runWithCodeCache: runs a CommonJS file as Node would (module, require, __dirname), writes V8's
// code cache after start-up and uses it the next time; never a cache of someone else's or a stale one.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheFileFor, cacheFolder, runWithCodeCache } from './code-cache';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A module that records, in `out`, what it was given and how often it ran. */
function writeModule(file: string, out: string, extra = ''): void {
  fs.writeFileSync(
    file,
    `#!/usr/bin/env node
const fs = require('node:fs');
const runs = fs.existsSync(${JSON.stringify(out)}) ? JSON.parse(fs.readFileSync(${JSON.stringify(out)}, 'utf8')).runs : 0;
fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ runs: runs + 1, dirname: __dirname, filename: __filename, sibling: require('./sibling.json').name, own: module.exports === exports }));
function later(n) { return n * 2; } later(${extra.length});
${extra}
`,
  );
  fs.writeFileSync(path.join(path.dirname(file), 'sibling.json'), '{"name":"found beside it"}');
}

const written = (run: (onWritten: (f: string) => void) => void): Promise<string> => new Promise((resolve) => run(resolve));

/** app.js (see writeModule), its out.json, and an empty cache folder. */
function setUp(): { file: string; out: string; folder: string } {
  const file = path.join(dir, 'app.js');
  const out = path.join(dir, 'out.json');
  const folder = path.join(dir, 'cache');
  fs.mkdirSync(folder, { mode: 0o700 });
  writeModule(file, out);
  return { file, out, folder };
}

it('runs the file as its own module, then writes a cache the next run uses', async () => {
  const { file, out, folder } = setUp();
  const cacheFile = await written((onWritten) => {
    const first = runWithCodeCache(file, { folder, writeAfterMs: 0, env: {}, onWritten });
    expect(first).toEqual({ usedCache: false, cacheFile: expect.stringContaining(folder) });
  });
  expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ runs: 1, dirname: dir, filename: file, sibling: 'found beside it', own: true });
  expect(fs.statSync(cacheFile).size).toBeGreaterThan(0);
  expect(fs.statSync(cacheFile).mode & 0o777).toBe(0o600);

  const second = runWithCodeCache(file, { folder, writeAfterMs: 0, env: {} });
  expect(second).toEqual({ usedCache: true, cacheFile });
  expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs).toBe(2);
});

it('a changed file gets a cache of its own, and the older one is removed', async () => {
  const { file, out, folder } = setUp();
  const old = await written((onWritten) => runWithCodeCache(file, { folder, writeAfterMs: 0, env: {}, onWritten }));
  writeModule(file, out, '// a longer file');
  const run = runWithCodeCache(file, { folder, writeAfterMs: 0, env: {} });
  expect(run?.usedCache).toBe(false);
  expect(run?.cacheFile).not.toBe(old);
  await new Promise((r) => setTimeout(r, 50));
  expect(fs.readdirSync(folder)).toEqual([path.basename(run!.cacheFile!)]);
});

it('cache bytes V8 refuses (corrupt) cost only a compile: the file still runs and the cache is written again', async () => {
  const { file, out, folder } = setUp();
  const cacheFile = cacheFileFor(folder, file, fs.statSync(file));
  fs.writeFileSync(cacheFile, Buffer.alloc(4096, 0x5a));
  await written((onWritten) => expect(runWithCodeCache(file, { folder, writeAfterMs: 0, env: {}, onWritten })?.usedCache).toBe(false));
  expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs).toBe(1);
  expect(runWithCodeCache(file, { folder, writeAfterMs: 0, env: {} })?.usedCache).toBe(true);
});

it('NODE_DISABLE_COMPILE_CACHE turns it off; a missing file is undefined (the caller loads its modules)', () => {
  const file = path.join(dir, 'app.js');
  writeModule(file, path.join(dir, 'out.json'));
  expect(runWithCodeCache(file, { folder: dir, env: { NODE_DISABLE_COMPILE_CACHE: '1' } })).toEqual({ usedCache: false, cacheFile: undefined });
  expect(runWithCodeCache(path.join(dir, 'none.js'))).toBeUndefined();
});

it("uses only a folder of the user's own that nobody else can write", () => {
  const mine = cacheFolder(dir);
  expect(mine).toBeDefined();
  expect(fs.statSync(mine!).mode & 0o777).toBe(0o700);
  fs.chmodSync(mine!, 0o777);
  expect(cacheFolder(dir)).toBeUndefined();
  fs.rmSync(mine!, { recursive: true });
  fs.symlinkSync(dir, mine!);
  expect(cacheFolder(dir)).toBeUndefined();
});
