// A small tmpfs for disk-full tests: mounted when running as root, else null with a warning that
// says which test is skipped and why (the caller skips it).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A new folder with a tmpfs of `size` (mount's form: `1m`, `64m`) on it, or null when it cannot be mounted. */
export function mountTmpfs(prefix: string, size: string, skipped: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (e) {
    fs.rmdirSync(dir);
    console.warn(`${skipped}: skipped, cannot mount a tmpfs (needs root): ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

export function unmountTmpfs(dir: string | null): void {
  if (!dir) return;
  execFileSync('umount', [dir]);
  fs.rmdirSync(dir);
}
