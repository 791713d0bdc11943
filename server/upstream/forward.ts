// Sends a request on to an upstream (the CEIP redirect and the SQM relay) with node:http(s), so a
// test CA can be trusted (--upstream-ca). Resolves with the upstream's answer or the error; never throws.

import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { urlToHttpOptions } from 'node:url';

export interface ForwardRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The body, or a stream of it (an over-limit body passed on as it arrives). */
  body: Buffer | Readable;
  /** Content-Length to send with a streamed body (the client's); chunked without it. */
  contentLength?: string;
  /** PEM of a CA to trust for an https upstream. */
  ca?: Buffer;
  timeoutMs?: number;
  /** Largest answer body kept (the rest is read and dropped). */
  maxBody?: number;
}

export interface ForwardResult {
  status: number | null;
  headers: Record<string, string>;
  body: Buffer;
  error: string | null;
  durationMs: number;
}

/** Headers that describe one connection, not the message (RFC 7230 6.1), plus ones we recompute. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

export function forwardHeaders(raw: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of raw) if (!HOP.has(k.toLowerCase())) out[k] = v;
  return out;
}

export function forward(req: ForwardRequest): Promise<ForwardResult> {
  const started = performance.now();
  const done = (r: Omit<ForwardResult, 'durationMs'>): ForwardResult => ({ ...r, durationMs: performance.now() - started });
  const timeoutMs = req.timeoutMs ?? 30_000;
  const max = req.maxBody ?? 64 << 20;
  return new Promise((resolve) => {
    const failed = (error: string) => resolve(done({ status: null, headers: {}, body: Buffer.alloc(0), error }));
    const to = target(req.url);
    if (!to) return failed(`not a URL: ${req.url}`);
    const lib = to.options.protocol === 'https:' ? https : http;
    let out: http.ClientRequest;
    try {
      out = lib.request(
        {
          ...to.options,
          // A fresh connection each time: a pooled keep-alive socket the upstream has just closed would
          // fail the request (ECONNRESET) and turn into a spurious 502.
          agent: false,
          method: req.method,
          headers: { ...req.headers, ...lengthHeader(req) },
          ca: req.ca,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          const result = (error: string | null) => done({ status: res.statusCode ?? null, headers: flatHeaders(res.headers), body: Buffer.concat(chunks), error });
          res.on('data', (c: Buffer) => {
            if (kept >= max) return;
            chunks.push(c.subarray(0, max - kept));
            kept += Math.min(c.length, max - kept);
          });
          res.on('end', () => resolve(result(null)));
          res.on('error', (e) => resolve(result(e.message)));
        },
      );
    } catch (e) {
      // Node refuses some request lines and header values synchronously (ERR_UNESCAPED_CHARACTERS…).
      return failed(`${(e as NodeJS.ErrnoException).code ?? 'error'}: ${(e as Error).message}`);
    }
    out.on('timeout', () => out.destroy(new Error(`no answer from ${to.host} in ${timeoutMs} ms`)));
    out.on('error', (e: NodeJS.ErrnoException) => failed(`${e.code ?? 'error'}: ${e.message}`));
    if (Buffer.isBuffer(req.body)) return void out.end(req.body);
    req.body.on('error', (e) => out.destroy(e));
    req.body.pipe(out);
  });
}

const lengthHeader = (req: ForwardRequest): Record<string, string> => {
  if (Buffer.isBuffer(req.body)) return { 'content-length': String(req.body.length) };
  return req.contentLength !== undefined && /^\d+$/.test(req.contentLength) ? { 'content-length': req.contentLength } : {};
};

/**
 * Request options for `url`, its path and query kept exactly as given: `new URL()` would
 * percent-encode `"` (the MS-CCEIP 4.1 partner) and turn `\` into `/` (CER DumpFile paths).
 */
function target(url: string): { options: http.RequestOptions; host: string } | null {
  const m = /^(https?:\/\/[^/?#\\]+)([\s\S]*)$/i.exec(url);
  if (!m) return null;
  let origin: URL;
  try {
    origin = new URL(m[1]);
  } catch {
    return null;
  }
  const path = m[2].startsWith('/') ? m[2] : `/${m[2]}`;
  return { options: { ...urlToHttpOptions(origin), path }, host: origin.host };
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The upstream's answer headers minus the per-connection ones (our server sets its own). */
export function passHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date'].includes(k)) out[k] = v;
  return out;
}
