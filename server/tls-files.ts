// Reads and checks the PEM files of --tls-cert, --tls-key and --upstream-ca before anything starts,
// so a swapped, unreadable or mismatched file is one line naming the flag (issue 14 item 10), not an
// OpenSSL error from deep inside https.createServer.

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { ERR } from './errors';
import { osText } from './fs/make-folders';

const CERT = /-----BEGIN CERTIFICATE-----/;
const KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

function read(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw ERR.TLS_FILE({ flag, file, reason: `cannot read it: ${osText(e)}` });
  }
}

const shortReason = (e: unknown): string => {
  const err = e as { code?: string; message?: string };
  return err.code ?? err.message ?? String(e);
};

/** The first certificate of a PEM file; `swapHint` is added when the file holds a private key instead. */
function certificate(flag: string, file: string, pem: Buffer, swapHint = ''): X509Certificate {
  const text = pem.toString('latin1');
  if (!CERT.test(text)) {
    const holds = KEY.test(text) ? `holds a private key, not a certificate${swapHint}` : 'holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)';
    throw ERR.TLS_FILE({ flag, file, reason: holds });
  }
  try {
    return new X509Certificate(pem);
  } catch (e) {
    throw ERR.TLS_FILE({ flag, file, reason: `not a readable PEM certificate (${shortReason(e)})` });
  }
}

function privateKey(flag: string, file: string, pem: Buffer, swapHint: string): KeyObject {
  const text = pem.toString('latin1');
  if (!KEY.test(text)) {
    const holds = CERT.test(text) ? `holds a certificate, not a private key${swapHint}` : 'holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)';
    throw ERR.TLS_FILE({ flag, file, reason: holds });
  }
  try {
    return createPrivateKey(pem);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ERR_MISSING_PASSPHRASE' ? 'the key is encrypted; give an unencrypted key' : `not a readable private key (${shortReason(e)})`;
    throw ERR.TLS_FILE({ flag, file, reason: why });
  }
}

/** The certificate and key to serve HTTPS with, checked to be what their flags say and to belong together. */
export function loadServerTls(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  const cert = read('--tls-cert', certFile);
  const key = read('--tls-key', keyFile);
  const swapped = CERT.test(key.toString('latin1')) && KEY.test(cert.toString('latin1'));
  const hint = swapped ? ' (--tls-cert and --tls-key swapped?)' : '';
  const x509 = certificate('--tls-cert', certFile, cert, hint);
  const keyObject = privateKey('--tls-key', keyFile, key, hint);
  if (!x509.checkPrivateKey(keyObject)) {
    throw ERR.TLS_FILE({ flag: '--tls-key', file: keyFile, reason: `is not the private key of the certificate in --tls-cert ${certFile}` });
  }
  return { cert, key };
}

/** A CA file (--upstream-ca): PEM, its first certificate readable. */
export function loadCa(flag: string, file: string): Buffer {
  const pem = read(flag, file);
  certificate(flag, file, pem);
  return pem;
}
