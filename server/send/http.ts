// The reference client's transport: one request on a fresh connection, its request-target sent
// exactly as given (a CER DumpFile keeps its backslashes; fetch would rewrite them), over http or https.

import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface Exchange {
  /** The server's base URL (scheme, host, port). */
  base: URL;
  method: string;
  /** The request-target as sent: `/stage2.htm`, `\PersistedCabs\…`, or an absolute URL. */
  target: string;
  body: Buffer;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Extra CA certificates to trust (a server with a self-signed certificate). */
  ca?: Buffer;
}

export interface Reply {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** OpenSSL's codes for a certificate the client does not trust (self-signed, unknown CA, wrong name). */
const CERTIFICATE = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|CERT_|ERR_TLS_CERT)/;

/** The server could not be reached or did not answer in time; `reason` is a few words (`ECONNREFUSED`), `hint` what to try. */
export class Unreachable extends Error {
  readonly hint: string;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'Unreachable';
    this.hint = CERTIFICATE.test(reason) ? 'its certificate is not trusted: give its CA with --ca FILE' : 'is it running?';
  }
}

/** Where an absolute-form target goes; otherwise the base. */
const hostOf = (x: Exchange): URL => (/^https?:\/\//i.test(x.target) ? new URL(x.target) : x.base);

/**
 * Sends one request and reads the whole answer; throws Unreachable when there is none.
 * @example const r = await exchange({ base: new URL('http://127.0.0.1:8080'), method: 'POST', target: '/stage2.htm', body, timeoutMs: 15000 });
 */
export function exchange(x: Exchange): Promise<Reply> {
  const host = hostOf(x);
  const client = host.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: host.hostname.replace(/^\[|\]$/g, ''),
        port: host.port || undefined,
        method: x.method,
        path: x.target,
        agent: false,
        ca: x.ca,
        timeout: x.timeoutMs,
        headers: { 'content-length': String(x.body.length), ...x.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => reject(new Unreachable(`the answer broke off (${e.code ?? e.message})`)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${x.timeoutMs} ms`), { code: `no answer in ${x.timeoutMs} ms` })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Unreachable(e.code ?? e.message)));
    req.end(x.body);
  });
}
