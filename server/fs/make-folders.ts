// Creates a folder and its missing parents, one mkdir at a time. Not `mkdirSync(…, { recursive })`:
// on Node 20 that loops for ever where mkdir says ENOENT under a folder that exists (`/proc/nope`:
// issue 14 item 10). Failures are FolderProblems whose message says what is wrong, for a `--flag value: ` prefix.

import fs from 'node:fs';
import path from 'node:path';

export class FolderProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderProblem';
  }
}

/** `ENOENT (no such file or directory)`: the code and Node's words for it. */
export function osText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words = /^[A-Z]+: ([^,]+),/.exec(err?.message ?? '')?.[1];
  if (err?.code) return words ? `${err.code} (${words})` : err.code;
  return err?.message ?? String(e);
}

/** The stats of `p` (links followed), or null when nothing is there (or a parent is a file). */
function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new FolderProblem(`cannot look at ${p}: ${osText(e)}`);
  }
}

/** The folders mkdir must make for `dir`, outermost first; throws a FolderProblem when a file is in the way. */
export function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = statOrNull(d);
    if (st) {
      if (!st.isDirectory()) throw new FolderProblem(`${d} is a file, not a folder`);
      break;
    }
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  return missing.reverse();
}

/** Makes `dir` and its missing parents; throws a FolderProblem when one is a file or cannot be made. */
export function makeFolders(dir: string): void {
  for (const d of missingFolders(dir)) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // Made meanwhile by someone else: fine, if it is a folder.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrNull(d)?.isDirectory()) continue;
      throw new FolderProblem(`cannot create the folder ${d}: ${osText(e)}`);
    }
  }
}
