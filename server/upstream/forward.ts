// Sends a request on to an upstream (the CEIP redirect and the SQM relay) with node:http(s), so a
// test CA can be trusted (--upstream-ca). Resolves with the upstream's answer or the error; never throws.

import http from 'node:http';
import https from 'node:https';

export interface ForwardRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
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
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return resolve(done({ status: null, headers: {}, body: Buffer.alloc(0), error: `not a URL: ${req.url}` }));
    }
    const lib = url.protocol === 'https:' ? https : http;
    const out = lib.request(url, {
      method: req.method,
      headers: { ...req.headers, 'content-length': String(req.body.length) },
      ca: req.ca,
      timeout: req.timeoutMs ?? 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < (req.maxBody ?? 64 << 20)) { chunks.push(c); kept += c.length; }
      });
      res.on('end', () => resolve(done({ status: res.statusCode ?? null, headers: flatHeaders(res.headers), body: Buffer.concat(chunks), error: null })));
      res.on('error', (e) => resolve(done({ status: res.statusCode ?? null, headers: flatHeaders(res.headers), body: Buffer.concat(chunks), error: e.message })));
    });
    out.on('timeout', () => out.destroy(new Error(`no answer from ${url.host} in ${req.timeoutMs ?? 30_000} ms`)));
    out.on('error', (e: NodeJS.ErrnoException) => resolve(done({ status: null, headers: {}, body: Buffer.alloc(0), error: `${e.code ?? 'error'}: ${e.message}` })));
    out.end(req.body);
  });
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
