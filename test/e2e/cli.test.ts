// The command line as a user runs it: listening lines, --port 0, clean shutdown on signals,
// one-line errors for bad flags and files, a store that survives a restart.

import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { AdminClient } from '../../server';
import { buildSqmSession } from '../../server/testing';
import { killAllClis, runCli, startCli } from '../helpers/cli';
import { send } from '../helpers/http';
import { itWithOpenssl, selfSignedCert } from '../helpers/tls';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-cli-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('prints one listening line per listener and stops cleanly on SIGTERM and SIGINT', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const cli = await startCli(['--port', '0', '--cer-port', '0', '--db', ':memory:'], ['main', 'cer']);
    expect(cli.urls.main).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.urls.cer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.urls.cer).not.toBe(cli.urls.main);
    // The CER listener serves the protocols but not the admin API.
    expect((await send(`${cli.urls.cer}/__admin/health`, { method: 'GET' })).status).toBe(404);
    expect(await new AdminClient(cli.urls.main).health()).toEqual({ status: 'ok' });
    expect(await cli.stop(signal)).toBe(0);
    expect(cli.stderr()).toBe('');
  }
});

it('keeps every capture across a restart on the same --db', async () => {
  const db = path.join(dir, 'capture.sqlite');
  const first = await startCli(['--port', '0', '--db', db, '--quiet']);
  expect(first.stdout()).toMatch(/^listening main /);
  const body = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] });
  expect((await send(`${first.urls.main}/sqm/windows/sqmserver.dll`, { body })).status).toBe(200);
  expect(await first.stop()).toBe(0);
  const second = await startCli(['--port', '0', '--db', db]);
  const client = new AdminClient(second.urls.main);
  const [s] = await client.sqmSessions();
  expect(s.sections[0].datapoints).toEqual([{ id: 6, value: 7601, tickCount: 0 }]);
  expect((await client.requestBody(s.requestId)).equals(body)).toBe(true);
  await client.reset();
  expect(await client.requests()).toEqual([]);
  expect(await second.stop()).toBe(0);
});

itWithOpenssl('the HTTPS test')('serves HTTPS with --tls-cert/--tls-key', async () => {
  const { key, cert } = selfSignedCert(dir);
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--tls-cert', cert, '--tls-key', key]);
  try {
    expect(cli.urls.main).toMatch(/^https:\/\//);
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${cli.urls.main}/__admin/health`, { ca: fs.readFileSync(cert) }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});

it('guards the admin API with --admin-token', async () => {
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--admin-token', 's3cret']);
  expect((await send(`${cli.urls.main}/__admin/requests`, { method: 'GET' })).status).toBe(401);
  expect(await new AdminClient(cli.urls.main, { token: 's3cret' }).requests()).toEqual([]);
  expect(await cli.stop()).toBe(0);
});

const failures: [string, string[], RegExp][] = [
  ['an unknown flag', ['--nope'], /unknown flag --nope \(see --help\)/],
  ['a mistyped flag', ['--prot', '8080'], /unknown flag --prot \(did you mean "--port"\?\) \(see --help\)/],
  ['a bad port', ['--port', 'eighty'], /--port: expected a port number 0\.\.65535, got "eighty"/],
  ['a missing scenario file', ['--scenario', '/nonexistent/s.yaml'], /\/nonexistent\/s\.yaml: cannot read: ENOENT/],
  ['a tls cert without key', ['--tls-cert', 'x.pem'], /--tls-cert and --tls-key go together/],
  ['a relay without an upstream', ['--relay-port', '0'], /--relay-port needs --upstream/],
  ['an upstream that is not a URL', ['--upstream', 'localhost:8080'], /--upstream: expected an http:\/\/ or https:\/\/ base URL/],
  ['an upstream deadline of 0', ['--upstream-timeout-ms', '0'], /--upstream-timeout-ms: expected a whole number from 1, got "0"/],
];
it.each(failures)('exits 2 with one line for %s', async (_name, args, message) => {
  const r = await runCli([...args, '--db', ':memory:']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it('names the file and the path in the document for an invalid scenario', async () => {
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, 'rules:\n  - name: x\n    respond: { status: 1234 }\n');
  const r = await runCli(['--scenario', file, '--port', '0', '--db', ':memory:']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${file}: rules[0].respond.status (line 3): expected a number ≤ 599, got 1234`);
});

it('reports a port in use', async () => {
  const cli = await startCli(['--port', '0', '--db', ':memory:']);
  const port = new URL(cli.urls.main).port;
  const r = await runCli(['--port', port, '--db', ':memory:']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`main listener on 127.0.0.1:${port}: port already in use`);
  await cli.stop();
});
