// Optional command-line tools some tests use as independent checks (gcab, cabextract, openssl):
// whether one is installed, and the `it` or `describe` that runs where it is and skips, with a warning, where not.

import { execFileSync } from 'node:child_process';

/** Whether `command args` runs (exit 0) on this machine. */
export function hasTool(command: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `[it, describe]` where `command` runs, else their `.skip` after a warning that says what is skipped and how to install it. */
export function withTool(command: string, what: string, args?: readonly string[]): { it: jest.It; describe: jest.Describe } {
  if (hasTool(command, args)) return { it, describe };
  console.warn(`${command} is not installed (apt-get install ${command}): skipping ${what}`);
  return { it: it.skip, describe: describe.skip };
}
