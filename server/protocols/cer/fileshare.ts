// The CER fileshare copy (MS-CER2 3.2.5 step 1): files land under the fileshare root at a path
// built only from sanitized parts, confined and atomic (issue 13 items 3 and 4). Each folder under
// the root is made one at a time and checked with lstat (a symbolic link planted there is refused,
// and the real path is compared with the root's); the bytes go to a temp file in the same folder,
// opened O_CREAT|O_EXCL|O_NOFOLLOW, fsynced, then renamed over the final name, which must not be a
// link or a folder. A failed copy throws and leaves nothing; temps a killed run left are removed at
// start (cleanFileshareOrphans).

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeFolders } from '../../fs/make-folders';
import { writeNewFile } from '../../fs/new-file';

/** `.<name>.<pid>.<random>.tmp`: the temp name of a copy in progress, beside its final name. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;
const tempName = (name: string): string => `.${name}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;

/** The folder walk at start stops here: deeper folders or more entries are left alone. */
const ORPHAN_WALK = { depth: 16, entries: 100_000 };

/** Writes `bytes` at root/segments…; returns the path relative to the root, or throws (nothing left behind). */
export function writeFileshare(root: string, segments: string[], bytes: Buffer): string {
  makeFolders(root);
  // The root itself is the user's choice (it may be a link); everything under it is checked.
  const base = fs.realpathSync(path.resolve(root));
  const target = path.resolve(base, ...segments);
  // Defence in depth: the segments are sanitized already; never write outside the root anyway.
  if (!target.startsWith(base + path.sep)) throw new Error(`refused to write outside the fileshare: ${segments.join('/')}`);
  const rel = path.relative(base, target).split(path.sep);
  const dir = confinedFolder(base, rel.slice(0, -1));
  const final = path.join(dir, rel[rel.length - 1]);
  const existing = lstatOrNull(final);
  if (existing && !existing.isFile()) throw new Error(`refused: ${rel.join('/')} on the fileshare is ${existing.isSymbolicLink() ? 'a symbolic link' : 'not a file'}`);
  const temp = path.join(dir, tempName(rel[rel.length - 1]));
  try {
    writeNewFile(temp, bytes, { sync: true });
    fs.renameSync(temp, final);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  syncFolder(dir);
  return rel.join('/');
}

/** Removes a copy writeFileshare made (its capture failed), unless something else is there now. */
export function removeFileshareCopy(root: string, relPath: string): void {
  const file = path.resolve(fs.realpathSync(root), ...relPath.split('/'));
  if (lstatOrNull(file)?.isFile()) fs.rmSync(file, { force: true });
}

/**
 * Makes each folder of `parts` under `base`, one at a time, refusing any that is a symbolic link
 * or not a folder; returns the last one, whose real path is checked to be the one expected.
 */
function confinedFolder(base: string, parts: string[]): string {
  let dir = base;
  for (const part of parts) {
    dir = path.join(dir, part);
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) throw new Error(`refused: ${path.relative(base, dir)} on the fileshare is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}`);
  }
  // A link swapped in between the checks still cannot lead outside unnoticed.
  if (fs.realpathSync(dir) !== dir) throw new Error(`refused: ${path.relative(base, dir)} on the fileshare resolves elsewhere`);
  return dir;
}

/** The rename made durable (best effort: some filesystems refuse to fsync a folder). */
function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, fs.constants.O_RDONLY);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // The file is complete under its name already; only its durability across a power cut is weaker.
  }
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** True when `pid` is another process that is running (its temps may be copies in progress). */
function aliveOther(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files of copies a killed run left under the fileshare root (temps of another
 * running process are kept). The walk follows no link and is bounded (depth, entries); returns the
 * paths removed, relative to the root. A missing root is nothing to clean.
 */
export function cleanFileshareOrphans(root: string): string[] {
  const removed: string[] = [];
  if (!lstatOrNull(root)) return removed;
  let budget = ORPHAN_WALK.entries;
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (--budget < 0) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < ORPHAN_WALK.depth) walk(p, depth + 1);
        continue;
      }
      const m = TEMP_NAME.exec(e.name);
      if (!e.isFile() || !m || aliveOther(Number(m[1]))) continue;
      fs.rmSync(p, { force: true });
      removed.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root, 0);
  return removed;
}
