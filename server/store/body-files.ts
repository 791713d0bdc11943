// Large request bodies live outside SQLite, in content-addressed files beside the store
// (`<db>-bodies/<sha256[0..2]>/<sha256>`): a body in the database is written twice (to the WAL,
// then again by the checkpoint) and copied into SQLite's memory on the way; a file is written once.
// The writer creates the file (temporary name, then rename) before the row that names it commits,
// so a committed row always finds its file; a crash between the two leaves an orphan, removed at
// the next open. Readers get the bytes back through the SQL function `stored_body()`.

import fs from 'node:fs';
import path from 'node:path';
import { writeNewFile } from '../fs/new-file';

/** Bodies of at least this many bytes are kept in files (file stores only; `:memory:` keeps all inline). */
export const BODY_FILE_MIN_BYTES = 64 * 1024;

/** `<db>-bodies`, or null for `:memory:`. */
export const bodyDirOf = (file: string): string | null => (file === ':memory:' ? null : `${path.resolve(file)}-bodies`);

const NAME = /^[0-9a-f]{64}$/;

export class BodyFiles {
  private readonly made = new Set<string>();
  private tmpSeq = 0;

  constructor(readonly dir: string) {}

  private pathOf(name: string): string {
    if (!NAME.test(name)) throw new Error(`body file name "${name}" is not a sha256`);
    return path.join(this.dir, name.slice(0, 2), name);
  }

  /** Writes the bytes under their sha256 `name` unless that file is there already. */
  put(name: string, bytes: Uint8Array): void {
    const target = this.pathOf(name);
    const folder = path.dirname(target);
    if (!this.made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.made.add(folder);
    }
    if (fs.existsSync(target)) return;
    const tmp = `${target}.tmp-${process.pid}-${++this.tmpSeq}`;
    try {
      // No fsync: like the store's commits (synchronous = OFF), a body survives a crash of this
      // process, not a power cut.
      writeNewFile(tmp, bytes, { sync: false });
      fs.renameSync(tmp, target);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** `length` bytes from `start` (default: the whole file). */
  read(name: string, start = 0, length?: number): Buffer {
    const file = this.pathOf(name);
    if (start === 0 && length === undefined) return fs.readFileSync(file);
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const n = Math.max(0, Math.min(length ?? size, size - start));
      const out = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, out, got, n - got, start + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Removes every body file (reset). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.made.clear();
  }

  /** Removes files no row names and temporaries left by a crash. */
  removeOrphans(named: ReadonlySet<string>): number {
    let removed = 0;
    for (const sub of safeList(this.dir)) {
      const folder = path.join(this.dir, sub);
      for (const f of safeList(folder)) {
        if (named.has(f)) continue;
        fs.rmSync(path.join(folder, f), { force: true });
        removed++;
      }
    }
    return removed;
  }
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The part of a better-sqlite3 connection this needs (no import of open.ts, which imports this). */
interface SqlFunctionHost {
  function(name: string, options: { varargs: boolean; deterministic: boolean }, fn: (...args: unknown[]) => unknown): unknown;
}

/**
 * `stored_body(body, body_file [, start, length])` on this connection: the stored body (or the
 * slice `start` (0-based) … `start + length`) whether it is inline or in a file.
 */
export function registerBodyFunction(db: SqlFunctionHost, files: BodyFiles | null): void {
  const slice = (b: Buffer, start?: number, length?: number): Buffer => (start === undefined ? b : b.subarray(start, length === undefined ? undefined : start + length));
  db.function('stored_body', { varargs: true, deterministic: false }, (...args: unknown[]) => {
    const [body, file, start, length] = args as [Buffer | null, string | null, number | bigint | undefined, number | bigint | undefined];
    const s = start === undefined || start === null ? undefined : Number(start);
    const l = length === undefined || length === null ? undefined : Number(length);
    if (file && files) return files.read(file, s ?? 0, l);
    return body === null ? null : slice(body, s, l);
  });
}
