// A self-signed certificate for 127.0.0.1 made with openssl, for the HTTPS e2e tests
// (`--tls-cert`/`--tls-key`); `itWithOpenssl` skips a test, with a warning, where openssl is missing.

import { execFileSync } from 'node:child_process';
import { hasTool } from './tools';
import fs from 'node:fs';
import path from 'node:path';

const hasOpenssl = hasTool('openssl', ['version']);

/** `it` where openssl is installed, else `it.skip` with a warning naming `what`. */
export function itWithOpenssl(what: string): jest.It {
  if (!hasOpenssl) console.warn(`openssl is not installed: skipping ${what} (it makes its certificate with openssl)`);
  return hasOpenssl ? it : it.skip;
}

/** Writes `key.pem` and `cert.pem` (CN and subjectAltName 127.0.0.1, one day) into `dir`. */
export function selfSignedCert(dir: string): { key: string; cert: string; ca: Buffer } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { key, cert, ca: fs.readFileSync(cert) };
}
