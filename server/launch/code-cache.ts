// Runs a CommonJS file with V8's code cache (issue 16 item 5: the bin ready in < 300 ms). Node 20
// has no module.enableCompileCache (22.1+), so this does what it does for one file: compile with
// the bytes V8 produced last time, and after start-up write them again when there were none or V8
// refused them (another Node, other V8 flags, a changed file). The cache holds what was compiled by
// then, start-up's lazily compiled functions too, so the next start compiles almost nothing.
//
// Where: <tmpdir>/sqm-cer-mock-code-cache-<uid>/, a folder of this user's own (0700, checked before
// use: cache bytes are code). NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does in Node 22.
// Any failure to read or write the cache only costs the compile it would have saved.

import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** How long after start the cache is written: start-up has compiled what it needs by then. */
export const WRITE_AFTER_MS = 1000;

/** The cache folder of this user, or undefined when there is none that is safely ours. */
export function cacheFolder(base = os.tmpdir()): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(base, `sqm-cer-mock-code-cache-${uid ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

/** The cache file of `file`: one per file, size, modification time, Node version and architecture. */
export function cacheFileFor(dir: string, file: string, stat: fs.Stats): string {
  const key = `${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return path.join(dir, `${cachePrefix(file)}${key.replace(/[^\w.-]/g, '_')}.bin`);
}

/** The start of the names of `file`'s caches, whatever its size, time or Node. */
const cachePrefix = (file: string): string => `${path.basename(file, '.js').replace(/[^\w.-]/g, '_')}--`;

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache (atomically: readers see the old file or the new one) and removes older caches of the same file. */
function writeCache(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
    return;
  }
  const dir = path.dirname(file);
  const prefix = path.basename(file).slice(0, path.basename(file).indexOf('--') + 2);
  try {
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(file)) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // an old cache left behind costs only its disk space
  }
}

export interface CodeCacheRun {
  /** Whether V8 took cache bytes for this run. */
  usedCache: boolean;
  /** Where the cache is (or would be) kept; undefined when caching is off or there is no safe folder. */
  cacheFile?: string;
}

/**
 * Runs `file` as the main CommonJS module would run, compiled with its code cache when there is a
 * usable one; `undefined` when `file` cannot be read (the caller then loads its unbundled modules).
 * `onWritten` (tests) is called once a new cache is written.
 */
export function runWithCodeCache(
  file: string,
  options: { env?: NodeJS.ProcessEnv; folder?: string; writeAfterMs?: number; onWritten?: (cacheFile: string) => void } = {},
): CodeCacheRun | undefined {
  let source: string;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    const bytes = fs.readFileSync(file);
    // A bundle is ASCII (esbuild escapes the rest): a one-byte string without UTF-8 decoding.
    source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const env = options.env ?? process.env;
  const off = env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '' && env.NODE_DISABLE_COMPILE_CACHE !== '0';
  const dir = off ? undefined : (options.folder ?? cacheFolder());
  const cacheFile = dir ? cacheFileFor(dir, file, stat) : undefined;
  const cachedData = readCache(cacheFile);
  // A shebang line is not JavaScript inside the module wrapper.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename: file, cachedData });
  const usedCache = cachedData !== undefined && !script.cachedDataRejected;
  if (cacheFile && !usedCache) {
    setTimeout(() => {
      writeCache(cacheFile, script.createCachedData());
      options.onWritten?.(cacheFile);
    }, options.writeAfterMs ?? WRITE_AFTER_MS).unref();
  }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  const mod = { exports: {} };
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return { usedCache, cacheFile };
}
