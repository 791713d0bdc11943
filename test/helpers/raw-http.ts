// node:http and raw-socket clients for scenario faults: fetch wraps socket errors in a generic
// TypeError, so these report what a plain HTTP client sees (error code, bytes before the end).

import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface RawReply {
  /** Undefined when no status line arrived. */
  status?: number;
  headers?: IncomingHttpHeaders;
  /** Body bytes received before the end or the error. */
  body: Buffer;
  /** The client's error (`ECONNRESET`, `HPE_*`, `CLIENT_TIMEOUT`…), if the exchange failed. */
  error?: { code?: string; message: string };
  elapsedMs: number;
}

/**
 * POSTs `body` on a fresh connection and never rejects: errors come back in `error`.
 * @example const r = await rawPost(`${mock.url}/sqm/windows/sqmserver.dll`, body, { timeoutMs: 300 });
 */
export function rawPost(url: string, body: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<RawReply> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let reply: Pick<RawReply, 'status' | 'headers'> = {};
    let settled = false;
    const done = (error?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      resolve({ ...reply, body: Buffer.concat(chunks), error: error && { code: error.code, message: error.message }, elapsedMs: performance.now() - started });
    };
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-length': body.length } }, (res) => {
      reply = { status: res.statusCode, headers: res.headers };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', done);
      res.on('end', () => done());
    });
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error(`client timeout after ${opts.timeoutMs} ms`), { code: 'CLIENT_TIMEOUT' })));
    }
    req.on('error', done);
    req.end(body);
  });
}

/** Sends one POST over a raw socket and returns every byte the server wrote until it closed. */
export function rawExchange(baseUrl: string, path: string, body: Uint8Array): Promise<Buffer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      socket.write(body);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** Polls `check` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
