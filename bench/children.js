'use strict';
// Child processes for the bench: starts a server (ours via dist/server/cli.js, or the bare baseline),
// waits for its `listening <role> <url>` line, reads its memory from /proc, and stops it; every child
// still alive is killed when the bench exits, however it exits.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { BenchError } = require('./errors');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'server', 'cli.js');
const BARE = path.join(__dirname, 'bare-server.js');
const BARE_INSERT = path.join(__dirname, 'bare-insert-server.js');
const LISTENING = /^listening (\S+) (http:\/\/\S+)$/;
const live = new Set();

/** Our server as users run it: `node dist/server/cli.js --port 0 --db <db> --quiet` (`cli`: another build's; plus $BENCH_OURS_ARGS). */
function startOurs(db, cli = CLI, env = undefined) {
  if (!fs.existsSync(cli)) throw new BenchError(`${cli} is missing: run "npm run build" (npm run bench does it)`);
  const extra = process.env.BENCH_OURS_ARGS ? process.env.BENCH_OURS_ARGS.split(' ').filter(Boolean) : [];
  return startChild({ label: `ours (${db === ':memory:' ? ':memory:' : 'file'})`, args: [cli, '--port', '0', '--db', db, '--quiet', ...extra], env });
}

/** The baseline: a bare node:http server (bench/bare-server.js). */
function startBare() {
  return startChild({ label: 'bare', args: [BARE, '--port', '0'] });
}

/** The second baseline: bare node:http plus one SQLite INSERT per request (bench/bare-insert-server.js). */
function startBareInsert(db) {
  return startChild({ label: 'bare+insert', args: [BARE_INSERT, '--port', '0', '--db', db] });
}

/**
 * Spawns `node <args>` and resolves once it prints its listening line, with the times (ms since spawn).
 * Rejects with a BenchError if it exits, errors or stays silent for `timeoutMs` first.
 */
function startChild({ label, args, timeoutMs = 10_000, env = undefined }) {
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const child = { label, proc, pid: proc.pid, spawnedAt, url: null, listeningMs: null, stdoutLines: [], stderr: '' };
  live.add(child);
  proc.on('exit', () => live.delete(child));
  proc.stderr.on('data', (d) => {
    child.stderr += d;
  });
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      kill(child);
      reject(new BenchError(`${label} server failed to start: ${why}${child.stderr ? `; stderr: ${child.stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no listening line after ${timeoutMs} ms`), timeoutMs);
    proc.on('error', (e) => fail(e.message));
    proc.on('exit', (code, signal) => {
      if (!child.url) fail(`exited (${signal ?? `code ${code}`}) before listening`);
    });
    onLines(proc.stdout, (line) => {
      child.stdoutLines.push(line);
      const m = LISTENING.exec(line);
      if (!m || child.url) return;
      child.listeningMs = performance.now() - spawnedAt;
      child.url = m[2];
      clearTimeout(timer);
      resolve(child);
    });
  });
}

function onLines(stream, fn) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    lines.forEach(fn);
  });
}

/** Memory of a live child from /proc/<pid>/status, in bytes: peak (VmHWM) and current (VmRSS). */
/** CPU seconds (user + system) the child has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(child) {
  const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS;
}
/** CPU seconds of the child's main thread (the one whose id is the process id) and of all its other threads. */
function threadCpuSecondsOf(child) {
  const main = taskSeconds(`/proc/${child.pid}/task/${child.pid}/stat`);
  return { main, others: cpuSecondsOf(child) - main };
}

function taskSeconds(file) {
  const stat = fs.readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
// USER_HZ: 100 on every Linux Node supports here (sysconf(_SC_CLK_TCK)).
const CLOCK_TICKS = 100;

function memoryOf(child) {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRss: kb('VmHWM'), rss: kb('VmRSS') };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
function stop(child, graceMs = 3000) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => kill(child), graceMs);
    child.proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.proc.kill('SIGTERM');
  });
}

function kill(child) {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
}

/** Synchronous, for process 'exit' and signal handlers. */
function killAll() {
  for (const child of live) kill(child);
}

module.exports = { startOurs, startBare, startBareInsert, startChild, memoryOf, cpuSecondsOf, threadCpuSecondsOf, stop, killAll };
