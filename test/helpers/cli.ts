// Runs the built CLI (dist/server/cli.js) as a user would, and reads its `listening` lines (text or JSON).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/server/cli.js');

const children = new Set<ChildProcessWithoutNullStreams>();
/** Kills every CLI process a test started and left running (call in afterAll). */
export function killAllClis(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

export function requireBuild(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  urls: Record<string, string>;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the CLI and resolves once every expected role has printed its listening line; `env` replaces this process's environment. */
export function startCli(args: string[], roles = ['main'], opts: number | { timeoutMs?: number; env?: NodeJS.ProcessEnv } = 10_000): Promise<RunningCli> {
  requireBuild();
  const { timeoutMs = 10_000, env = undefined } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe', env });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const urls: Record<string, string> = {};
      for (const m of out.matchAll(/^listening (\w+) (\S+)$/gm)) urls[m[1]] = m[2];
      // --log-format json
      for (const m of out.matchAll(/^\{.*"event":"listening","role":"(\w+)","url":"([^"]+)"\}$/gm)) urls[m[1]] = m[2];
      if (roles.every((r) => urls[r])) {
        clearTimeout(timer);
        resolve({
          child,
          urls,
          stdout: () => out,
          stderr: () => err,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before listening; stderr: ${err}`));
    });
  });
}

/** Runs the CLI to its end (for bad flags and files) and returns exit code and output. */
export function runCli(args: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireBuild();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
