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
  /** The overall deadline: from the request sent (or the answer begun) to the answer's last byte. */
  timeoutMs?: number;
  /** The longest the connection may be silent (no byte either way), before the answer or within it. */
  idleMs?: number;
  /** Largest answer body taken: a longer one (or one declaring more) is `too-large`. */
  maxBody?: number;
}

/**
 * How the exchange ended: a whole answer, none (`unreachable`: refused, reset, bad TLS, a request
 * Node refuses), or a broken one whose status and first bytes are kept (`truncated`: the connection
 * ended before Content-Length or the last chunk; `too-large`: over `maxBody`; `timeout`).
 */
export type ForwardOutcome = 'answered' | 'unreachable' | 'truncated' | 'too-large' | 'timeout';

export interface ForwardResult {
  outcome: ForwardOutcome;
  /** The upstream's status, when its answer began (also for a broken answer). */
  status: number | null;
  headers: Record<string, string>;
  /** What arrived of the answer body (at most `maxBody` bytes). */
  body: Buffer;
  /** Why it is not `answered`, in one line. */
  error: string | null;
  durationMs: number;
}

/** The defaults of --upstream-timeout-ms, --upstream-idle-ms and --upstream-answer-limit. */
export const FORWARD_DEFAULTS = { timeoutMs: 30_000, idleMs: 10_000, maxBody: 64 << 20 } as const;

/** Headers that describe one connection, not the message (RFC 7230 6.1), plus ones we recompute. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

export function forwardHeaders(raw: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of raw) if (!HOP.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** The answer as it arrives: its head, the body bytes kept, and how many arrived. */
interface Taken {
  res?: http.IncomingMessage;
  chunks: Buffer[];
  bytes: number;
}

export function forward(req: ForwardRequest): Promise<ForwardResult> {
  const started = performance.now();
  const { timeoutMs, idleMs, maxBody } = { ...FORWARD_DEFAULTS, ...definedOf(req) };
  return new Promise((resolve) => {
    const taken: Taken = { chunks: [], bytes: 0 };
    let out: http.ClientRequest | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: ForwardOutcome, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      const { res } = taken;
      const status = res?.statusCode ?? null;
      resolve({ outcome, status, headers: res ? flatHeaders(res.headers) : {}, body: Buffer.concat(taken.chunks), error, durationMs: performance.now() - started });
      out?.destroy();
    };
    const to = target(req.url);
    if (!to) return settle('unreachable', `not a URL: ${req.url}`);
    // The deadline runs from the request sent (a streamed body arrives at the client's pace) or the answer begun.
    const arm = () => {
      deadline ??= setTimeout(() => settle('timeout', `the answer from ${to.host} was not complete in ${timeoutMs} ms (${progress(taken)})`), timeoutMs);
    };
    const lib = to.options.protocol === 'https:' ? https : http;
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
          timeout: idleMs,
        },
        (res) => {
          taken.res = res;
          arm();
          receive(res, taken, { maxBody, settle });
        },
      );
    } catch (e) {
      // Node refuses some request lines and header values synchronously (ERR_UNESCAPED_CHARACTERS…).
      return settle('unreachable', `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${(e as Error).message}`);
    }
    out.on('finish', arm);
    out.on('timeout', () => settle('timeout', taken.res ? `no byte from ${to.host} for ${idleMs} ms (${progress(taken)})` : `no answer from ${to.host} in ${idleMs} ms`));
    out.on('error', (e: NodeJS.ErrnoException) => {
      const why = `${e.code ?? 'error'}: ${e.message}`;
      // An error once the answer has begun (a bad chunk, a reset) breaks that answer.
      if (taken.res) settle('truncated', `${cutShort(taken)} (${why})`);
      else settle('unreachable', why);
    });
    if (Buffer.isBuffer(req.body)) return void out.end(req.body);
    req.body.on('error', (e) => out.destroy(e));
    req.body.pipe(out);
  });
}

/** Reads the answer body into `taken`, up to `maxBody`; settles when it ends, breaks off or is too long. */
function receive(res: http.IncomingMessage, taken: Taken, o: { maxBody: number; settle: (outcome: ForwardOutcome, error: string | null) => void }): void {
  res.on('data', (c: Buffer) => {
    const room = o.maxBody - taken.bytes;
    taken.chunks.push(c.length > room ? c.subarray(0, Math.max(0, room)) : c);
    taken.bytes += c.length;
    if (taken.bytes > o.maxBody) o.settle('too-large', `the answer body is over the ${o.maxBody}-byte limit`);
  });
  res.on('end', () => o.settle('answered', null));
  // Node ends an answer only when its framing is complete (RFC 9112 6.3); otherwise it closes or errors.
  res.on('error', (e: NodeJS.ErrnoException) => o.settle('truncated', `${cutShort(taken)} (${e.code ?? 'error'}: ${e.message})`));
  res.on('close', () => o.settle(res.complete ? 'answered' : 'truncated', res.complete ? null : cutShort(taken)));
  const declared = res.headers['content-length'];
  if (declared !== undefined && Number(declared) > o.maxBody) o.settle('too-large', `the answer declares Content-Length ${declared}, over the ${o.maxBody}-byte limit`);
}

/** What arrived of the answer, for a timeout message. */
const progress = (t: Taken): string => (t.res ? `status ${t.res.statusCode}, ${t.bytes} body bytes so far` : 'no answer yet');

/** Why an answer that stopped is incomplete: the Content-Length not met, or the chunked body not ended. */
function cutShort(t: Taken): string {
  const declared = t.res?.headers['content-length'];
  if (declared !== undefined) return `the answer declared Content-Length ${declared}; the connection ended after ${t.bytes} bytes`;
  if (/chunked/i.test(t.res?.headers['transfer-encoding'] ?? '')) return `the chunked answer ended after ${t.bytes} body bytes, before its last chunk`;
  return `the answer broke off after ${t.bytes} body bytes`;
}

/** The options `req` sets (an undefined one keeps its default). */
const definedOf = (req: ForwardRequest): Partial<Record<keyof typeof FORWARD_DEFAULTS, number>> =>
  Object.fromEntries((['timeoutMs', 'idleMs', 'maxBody'] as const).flatMap((k) => (req[k] === undefined ? [] : [[k, req[k]]])));

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
