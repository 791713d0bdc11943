// Fallback for folders this reader does not decode ([MS-CAB] CFFOLDER typeCompress 2 Quantum,
// 3 LZX): runs the external `cabextract -p` on a temporary copy of the cabinet, output capped.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readCabinetDirectory } from './directory';
import type { ExtractOptions } from './types';

const TIMEOUT_MS = 10_000;
const lookups = new Map<string, string | undefined>();

/** Finds an executable `name` on PATH without running anything; undefined when absent. */
export function findOnPath(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** cabextract -F takes a shell pattern: escape its wildcards so the name matches literally. */
const literalPattern = (name: string): string => name.replace(/[\\*?[\]]/g, '\\$&');

/**
 * A fallback that runs `cabextract -p` when the binary is installed (spawnSync with a timeout
 * and maxBuffer = maxBytes + 1), else undefined so callers can report "LZX not supported".
 * cabextract picks the file by name (case-insensitively): if two members share a name, the
 * output is both, and the caller's cbFile check refuses it.
 * @example
 * const r = extractCabinetFile(cab, { maxBytes, fallback: cabextractFallback() });
 */
export function cabextractFallback(): ExtractOptions['fallback'] | undefined {
  const pathVar = process.env.PATH ?? '';
  // The PATH walk costs a syscall per directory: remember the answer for this PATH.
  if (!lookups.has(pathVar)) lookups.set(pathVar, findOnPath('cabextract', pathVar));
  const bin = lookups.get(pathVar);
  if (!bin) return undefined;
  return (cab, fileIndex, maxBytes) => {
    const name = readCabinetDirectory(cab).value?.files[fileIndex]?.name;
    if (name === undefined) return `no file ${fileIndex} in the cabinet directory`;
    const dir = mkdtempSync(join(tmpdir(), 'cab-fallback-'));
    try {
      const path = join(dir, 'in.cab');
      writeFileSync(path, cab);
      const run = spawnSync(bin, ['-q', '-p', '-F', literalPattern(name), path], {
        timeout: TIMEOUT_MS,
        maxBuffer: maxBytes + 1,
        killSignal: 'SIGKILL',
      });
      if (run.error) return `cabextract: ${run.error.message}`;
      if (run.status !== 0) return `cabextract exited ${run.status ?? run.signal}: ${run.stderr.toString().trim()}`;
      return run.stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
