// Issue 13 item 8: SIGTERM while a client drips a body one byte a second. Node stops enforcing
// requestTimeout once server.close() is called, so without a deadline the process never ends.
// With --shutdown-timeout-ms 1000 it exits 0 soon after the deadline, the dripped request is
// captured as aborted, and the store file is whole (integrity_check ok, WAL checkpointed).

import Database from 'better-sqlite3';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSqmSession } from '../../server/testing';
import { killAllClis, startCli } from '../helpers/cli';
import { rawPost, until } from '../helpers/raw-http';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-shutdown-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a POST that declares 1000 bytes and sends one a second; resolves `closed` when the server ends it. */
function drip(baseUrl: string): { sent: () => number; closed: Promise<void> } {
  const { hostname, port } = new URL(baseUrl);
  let sent = 0;
  const socket = net.connect(Number(port), hostname);
  const timer = setInterval(() => {
    socket.write('x');
    sent++;
  }, 1000);
  socket.on('connect', () => {
    socket.write(`POST /sqm/windows/sqmserver.dll HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: 1000\r\n\r\nx`);
    sent++;
  });
  socket.on('error', () => {});
  socket.resume();
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => clearInterval(timer));
  return { sent: () => sent, closed };
}

const DEADLINE_MS = 1000;
const MARGIN_MS = 4000;

it('SIGTERM with a body still dripping: exits 0 within the deadline plus a margin, store intact', async () => {
  const db = path.join(dir, 'capture.sqlite');
  const cli = await startCli(['--port', '0', '--db', db, '--shutdown-timeout-ms', String(DEADLINE_MS)]);
  try {
    for (let i = 0; i < 3; i++) expect((await rawPost(`${cli.urls.main}/sqm/windows/sqmserver.dll`, buildSqmSession())).status).toBe(200);
    const slow = drip(cli.urls.main);
    await until('two dripped bytes', () => (slow.sent() >= 2 ? true : undefined), 5000);

    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<string>((r) => (timer = setTimeout(() => r('still running'), DEADLINE_MS + MARGIN_MS)));
    const exit = await Promise.race([cli.stop('SIGTERM'), giveUp]);
    clearTimeout(timer);
    const elapsed = Date.now() - started;
    expect(exit).toBe(0);
    // The in-flight request got its deadline before its connection was closed.
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    await slow.closed;
    expect(cli.stderr()).toContain(`shutdown: requests still in progress after ${DEADLINE_MS} ms (--shutdown-timeout-ms); closing their connections`);
    expect(cli.stderr()).not.toContain('capture failed');

    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = check.prepare('SELECT status, body_size AS size FROM requests ORDER BY id').all() as { status: number; size: number }[];
      // The three uploads, then what the dripping client had sent, captured as aborted.
      expect(rows.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
      expect(rows[3]).toEqual({ status: -1, size: expect.any(Number) });
      expect(rows[3].size).toBeGreaterThanOrEqual(2);
    } finally {
      check.close();
    }
    // Closed cleanly: the WAL was checkpointed into the main file.
    expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
  } finally {
    cli.child.kill('SIGKILL');
  }
}, 20_000);
