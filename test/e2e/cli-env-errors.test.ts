// Environment errors (issue 14 item 10): a --db, TLS or CA file that cannot work exits 2 at once
// with one line `--flag value: what is wrong`, never a raw SQLite/OpenSSL/errno line, never a hang
// (`--db /proc/nope/x.sqlite` used to spin at 100% CPU). And --version.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { itWithOpenssl } from '../helpers/tls';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-cli-env-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI to its end; expects exit 2 with exactly `sqm-cer-mock: <line>` on stderr. */
async function refused(args: string[], line: RegExp): Promise<void> {
  const started = Date.now();
  // It takes well under a second on a quiet machine (the time is Node loading the modules); 25 s
  // leaves room for a loaded one, and a hang is killed and fails the test (code null).
  const r = await runCli(['--port', '0', ...args], 25_000);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(line) });
  expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
  expect(Date.now() - started).toBeLessThan(25_000);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('--db', () => {
  it('under a regular file', async () => {
    const file = path.join(dir, 'plain-file');
    fs.writeFileSync(file, 'x');
    const db = path.join(file, 'sub', 'x.sqlite');
    await refused(['--db', db], new RegExp(`^sqm-cer-mock: --db ${esc(db)}: ${esc(file)} is a file, not a folder\n$`));
  });

  it('a file that is not an SQLite database (left as it was)', async () => {
    const db = path.join(dir, 'notes.txt');
    fs.writeFileSync(db, 'hello, not a database\n');
    await refused(['--db', db], new RegExp(`^sqm-cer-mock: --db ${esc(db)}: not an SQLite database \\(give a new file name, or a capture store made by sqm-cer-mock\\)\n$`));
    expect(fs.readFileSync(db, 'utf8')).toBe('hello, not a database\n');
  });

  it('a folder', async () => {
    await refused(['--db', dir], new RegExp(`^sqm-cer-mock: --db ${esc(dir)}: is a folder; expected an SQLite file\n$`));
  });

  (fs.existsSync('/proc/self') ? it : it.skip)('under /proc, where a recursive mkdir spins for ever', async () => {
    await refused(['--db', '/proc/nope/x.sqlite'], /^sqm-cer-mock: --db \/proc\/nope\/x\.sqlite: cannot create the folder \/proc\/nope: ENOENT \(no such file or directory\)\n$/);
  });
});

it('--fileshare under a regular file', async () => {
  const file = path.join(dir, 'share-file');
  fs.writeFileSync(file, 'x');
  const share = path.join(file, 'share');
  await refused(['--db', ':memory:', '--fileshare', share], new RegExp(`^sqm-cer-mock: --fileshare ${esc(share)}: ${esc(file)} is a file, not a folder\n$`));
});

describe('TLS and CA files', () => {
  let cert = '';
  let key = '';
  let otherKey = '';
  const openssl = itWithOpenssl('the TLS file refusals');
  const make = (name: string) => {
    const k = path.join(dir, `${name}-key.pem`);
    const c = path.join(dir, `${name}-cert.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', k, '-out', c, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    return { k, c };
  };
  const ready = () => {
    if (cert) return;
    ({ c: cert, k: key } = make('a'));
    otherKey = make('b').k;
  };

  openssl('swapped --tls-cert and --tls-key', async () => {
    ready();
    await refused(
      ['--db', ':memory:', '--tls-cert', key, '--tls-key', cert],
      new RegExp(`^sqm-cer-mock: --tls-cert ${esc(key)}: holds a private key, not a certificate \\(--tls-cert and --tls-key swapped\\?\\)\n$`),
    );
  });
  openssl('a key that is not the certificate’s', async () => {
    ready();
    await refused(
      ['--db', ':memory:', '--tls-cert', cert, '--tls-key', otherKey],
      new RegExp(`^sqm-cer-mock: --tls-key ${esc(otherKey)}: is not the private key of the certificate in --tls-cert ${esc(cert)}\n$`),
    );
  });
  openssl('a certificate file that is not PEM', async () => {
    ready();
    const junk = path.join(dir, 'junk.pem');
    fs.writeFileSync(junk, 'not pem at all');
    await refused(
      ['--db', ':memory:', '--tls-cert', junk, '--tls-key', key],
      new RegExp(`^sqm-cer-mock: --tls-cert ${esc(junk)}: holds no PEM certificate \\(expected -----BEGIN CERTIFICATE-----\\)\n$`),
    );
  });
  openssl('a missing key file', async () => {
    ready();
    const missing = path.join(dir, 'missing.pem');
    await refused(
      ['--db', ':memory:', '--tls-cert', cert, '--tls-key', missing],
      new RegExp(`^sqm-cer-mock: --tls-key ${esc(missing)}: cannot read it: ENOENT \\(no such file or directory\\)\n$`),
    );
  });
  openssl('an --upstream-ca that holds a key', async () => {
    ready();
    await refused(
      ['--db', ':memory:', '--upstream', 'https://127.0.0.1:1', '--upstream-ca', key],
      new RegExp(`^sqm-cer-mock: --upstream-ca ${esc(key)}: holds a private key, not a certificate\n$`),
    );
  });
});

it("--version prints the package's version", async () => {
  const r = await runCli(['--version']);
  const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
  expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});
