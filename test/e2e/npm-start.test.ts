// `npm start &` then `kill $!` (issue 14 item 1): SIGTERM or SIGINT to the npm process stops the
// server and frees its port. Started the way a CI script does it, from a non-interactive shell that
// puts npm in the background (so SIGINT is ignored by everything that does not catch it); the start
// script execs node, so npm forwards the signal to the server itself, not to a shell.

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { requireBuild } from '../helpers/cli';
import { until } from '../helpers/raw-http';

const ROOT = path.resolve(__dirname, '../..');

/** True when something accepts connections on the port. */
const accepting = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it.each(['SIGTERM', 'SIGINT'] as const)(
  '%s to the npm start PID stops the server and frees its port',
  async (signal) => {
    requireBuild();
    // `echo $!` gives the npm PID; `wait` keeps the shell until npm is gone.
    const sh = spawn('sh', ['-c', 'npm start --silent -- --port 0 --db :memory: & echo "npm $!"; wait'], { cwd: ROOT, stdio: 'pipe', detached: true });
    let out = '';
    sh.stdout.on('data', (d) => (out += d));
    sh.stderr.on('data', (d) => (out += d));
    let npmPid = 0;
    try {
      const { pid, port } = await until(
        'npm start to listen',
        () => {
          const p = /^npm (\d+)$/m.exec(out);
          const l = /^listening main http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out);
          return p && l ? { pid: Number(p[1]), port: Number(l[1]) } : undefined;
        },
        25_000,
      );
      npmPid = pid;
      expect(await accepting(port)).toBe(true);
      process.kill(npmPid, signal);
      await until(`npm to exit after ${signal}`, () => (alive(npmPid) ? undefined : true), 15_000);
      await until(`port ${port} to be freed`, async () => ((await accepting(port)) ? undefined : true), 5_000);
      expect(out).toContain(`${signal}: shutting down`);
    } finally {
      // Whatever is left of this test's process group (the shell, npm, the server) goes.
      try {
        process.kill(-sh.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  },
  60_000,
);
