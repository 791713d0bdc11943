// Fallback for folders this reader does not decode ([MS-CAB] CFFOLDER typeCompress 2 Quantum,
// 3 LZX): runs the external `cabextract -p` asynchronously (never blocking the event loop) on a
// temporary copy of the cabinet, with a time limit and an output cap; its folders are removed on
// close, on exit, and (left by a killed process) at the next start.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readCabinetDirectory } from './directory';

/** Temp folders are `cab-fallback-<pid>-XXXXXX` under the temp directory. */
export const FOLDER_PREFIX = 'cab-fallback-';
const DEFAULT_TIMEOUT_MS = 10_000;
/** A folder without a pid in its name (an older build's) older than this is stale. */
const UNNAMED_STALE_MS = 60_000;

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

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes `cab-fallback-*` folders whose process is gone (a kill -9 during an extraction), and
 * unnamed ones older than a minute; a running server's folders are left alone. Returns what it removed.
 */
export function removeStaleFolders(dir = tmpdir(), alive: (pid: number) => boolean = pidAlive): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(FOLDER_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const full = join(dir, name);
    const pid = /^cab-fallback-(\d+)-/.exec(name)?.[1];
    try {
      const stale = pid !== undefined ? Number(pid) !== process.pid && !alive(Number(pid)) : Date.now() - statSync(full).mtimeMs > UNNAMED_STALE_MS;
      if (!stale) continue;
      rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

export interface CabextractOptions {
  /** The cabextract binary (or a stand-in with the same command line, for tests). */
  bin: string;
  /** Where the temp folders go (default: the OS temp directory). */
  tmp?: string;
  timeoutMs?: number;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs cabextract asynchronously; one instance per server (start.ts), closed with it. */
export class CabextractRunner {
  private readonly folders = new Set<string>();
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = () => this.removeAllSync();

  constructor(private readonly opts: CabextractOptions) {
    process.on('exit', this.onExit);
  }

  /** File `fileIndex` of `cab` (at most maxBytes bytes), or a reason it failed. Never rejects. */
  async run(cab: Buffer, fileIndex: number, maxBytes: number): Promise<Buffer | string> {
    const name = readCabinetDirectory(cab).value?.files[fileIndex]?.name;
    if (name === undefined) return `no file ${fileIndex} in the cabinet directory`;
    const tmp = this.opts.tmp ?? tmpdir();
    let dir: string | undefined;
    try {
      dir = await mkdtemp(join(tmp, `${FOLDER_PREFIX}${process.pid}-`));
      this.folders.add(dir);
      const path = join(dir, 'in.cab');
      await writeFile(path, cab);
      return await this.spawnCapped(['-q', '-p', '-F', literalPattern(name), path], maxBytes);
    } catch (e) {
      return `cabextract: ${(e as Error).message}`;
    } finally {
      if (dir) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        this.folders.delete(dir);
      }
    }
  }

  private spawnCapped(args: string[], maxBytes: number): Promise<Buffer | string> {
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve) => {
      // Its own process group, so a kill reaches whatever it started too (a wrapper script's children).
      const child = spawn(this.opts.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.children.add(child);
      const out: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let failure: string | null = null;
      const stop = (why: string) => {
        failure ??= why;
        killGroup(child);
      };
      const timer = setTimeout(() => stop(`cabextract: no result within ${timeoutMs} ms`), timeoutMs);
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return stop(`cabextract: output passed ${maxBytes} bytes (maxBuffer)`);
        out.push(c);
      });
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-500)));
      child.on('error', (e) => stop(`cabextract: ${e.message}`));
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (failure) return resolve(failure);
        if (code !== 0) return resolve(`cabextract exited ${code ?? signal}: ${stderr.trim()}`);
        resolve(Buffer.concat(out, size));
      };
      // A failed run settles at once; a clean one once its output is all read ('close').
      child.on('exit', (code, signal) => (failure || code !== 0 ? settle(code, signal) : undefined));
      child.on('close', settle);
    });
  }

  private removeAllSync(): void {
    for (const c of this.children) killGroup(c);
    for (const d of this.folders) rmSync(d, { recursive: true, force: true });
    this.folders.clear();
  }

  /** Kills running extractions and removes their folders. */
  close(): void {
    this.removeAllSync();
    process.off('exit', this.onExit);
  }
}

/**
 * A runner for the cabextract on PATH, or undefined when it is not installed (then callers report
 * "LZX not supported"). Removes stale folders of earlier crashed runs first.
 */
export function cabextractRunner(pathVar = process.env.PATH ?? ''): CabextractRunner | undefined {
  const bin = findOnPath('cabextract', pathVar);
  removeStaleFolders();
  return bin ? new CabextractRunner({ bin }) : undefined;
}
