// node:http and raw-socket clients for scenario faults: fetch wraps socket errors in a generic
// TypeError, so these report what a plain HTTP client sees (error code, bytes before the end).

import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

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
  const { hostname } = new URL(baseUrl);
  const head = `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return rawSend(baseUrl, [Buffer.from(head, 'latin1'), body]);
}

/**
 * Writes `pieces` on one connection (plain or TLS, by the URL's scheme), each as its own write,
 * `gapMs` apart so they arrive as separate TCP segments; returns every byte the server wrote
 * until it closed. Request lines go out byte for byte (no client normalizes them).
 */
export function rawSend(baseUrl: string, pieces: Uint8Array[], opts: { ca?: Buffer; gapMs?: number; timeoutMs?: number } = {}): Promise<Buffer> {
  const { hostname, port, protocol } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const write = async () => {
      for (const [i, p] of pieces.entries()) {
        if (i > 0 && opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        socket.write(p);
      }
    };
    const socket =
      protocol === 'https:' ? tls.connect({ host: hostname, port: Number(port), ca: opts.ca }, () => void write()) : net.connect(Number(port), hostname, () => void write());
    // A server that never closes would hang the test: fail with what came so far.
    const timer = setTimeout(() => {
      reject(new Error(`no close after ${opts.timeoutMs ?? 10000} ms; received ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 500))}`));
      socket.destroy();
    }, opts.timeoutMs ?? 10000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** One HTTP/1.1 response read back from raw bytes. */
export interface ParsedResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits what `rawSend` returned into its responses (each framed by Content-Length). */
export function parseResponses(bytes: Buffer): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) throw new Error(`unfinished response head at byte ${at}: ${JSON.stringify(bytes.subarray(at).toString('latin1'))}`);
    const [statusLine, ...lines] = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: bytes.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
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
