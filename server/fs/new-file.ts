// Writing a file that must not exist yet: opened O_CREAT|O_EXCL|O_NOFOLLOW (never through a planted
// link, never over another file), written whole, and fsynced when the caller's promise needs it.
// Callers write under a temporary name and rename it into place, so a reader sees all or nothing.

import fs from 'node:fs';

/** Writes the whole buffer to the new file `file`; `sync`: fsync it before returning. */
export function writeNewFile(file: string, bytes: Uint8Array, { sync }: { sync: boolean }): void {
  const { O_CREAT, O_EXCL, O_WRONLY, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(file, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o644);
  try {
    for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
