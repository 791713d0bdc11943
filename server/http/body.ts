// Reads a request body with a limit: bytes up to the limit are kept whole; past it the rest is
// drained, counted and hashed but not kept (bounded memory), and only a prefix is stored. A route
// that streams (the relay) gets the whole over-limit body as a stream instead of a drain.

import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { BodyStream, BodyTotals } from '../core/types';

/** How much of an over-limit body is kept for the capture. */
export const OVER_LIMIT_PREFIX = 64 * 1024;

export interface ReadBody {
  body: Buffer;
  size: number;
  /** True when the body was over the limit and only a prefix was kept. */
  truncated: boolean;
  /**
   * sha256 of the whole body when it was truncated (the only case where the bytes are not kept);
   * '' otherwise, and the store hashes the kept body, off the event loop when it can.
   */
  sha256: string;
  /** True when the client went away before the body ended. */
  aborted: boolean;
  /** With `streamOverLimit`, for a truncated body: every byte of it, as it arrives. */
  stream?: BodyStream;
}

export interface ReadBodyOptions {
  /**
   * Past the limit, resolve at once with the kept prefix and a stream of the whole body (the kept
   * bytes, then the rest as it arrives, with backpressure), instead of draining the rest.
   */
  streamOverLimit?: boolean;
}

/** Collects chunks into one buffer; preallocated from Content-Length when known, so no second copy. */
class Collector {
  private exact: Buffer | null;
  private readonly chunks: Buffer[] = [];
  length = 0;

  constructor(expected: number | undefined) {
    // allocUnsafeSlow: an ArrayBuffer of our own (not the shared pool), so it can be handed to a worker.
    this.exact = expected !== undefined ? Buffer.allocUnsafeSlow(expected) : null;
  }
  push(chunk: Buffer): void {
    if (this.exact && this.length + chunk.length <= this.exact.length) chunk.copy(this.exact, this.length);
    else {
      if (this.exact) this.chunks.push(this.exact.subarray(0, this.length));
      this.exact = null;
      this.chunks.push(chunk);
    }
    this.length += chunk.length;
  }
  get all(): Buffer[] {
    return this.exact ? [this.exact.subarray(0, this.length)] : this.chunks;
  }
  result(): Buffer {
    if (this.exact) return this.length === this.exact.length ? this.exact : this.exact.subarray(0, this.length);
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
  }
}

function declaredLength(req: IncomingMessage, limit: number): number | undefined {
  const v = req.headers['content-length'];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n <= limit ? n : undefined;
}

export function readBody(req: IncomingMessage, limit: number, options: ReadBodyOptions = {}): Promise<ReadBody> {
  return new Promise((resolve) => {
    const kept = new Collector(declaredLength(req, limit));
    let hash: Hash | null = null;
    let size = 0;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      if (hash === null) return resolve({ body: kept.result(), size, truncated: false, sha256: '', aborted });
      // A copy, so the (up to `limit`) bytes kept before the limit was passed can be freed.
      const prefix = Buffer.from(kept.result().subarray(0, OVER_LIMIT_PREFIX));
      resolve({ body: prefix, size, truncated: true, sha256: hash.digest('hex'), aborted });
    };
    const onEnd = () => finish(false);
    const onAbort = () => finish(true);
    const onClose = () => finish(!req.complete);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (hash === null && size <= limit) return kept.push(chunk);
      if (hash === null && options.streamOverLimit) {
        // First byte over the limit, and the route streams: hand over the whole body from here.
        done = true;
        for (const [event, fn] of listeners) req.off(event, fn);
        const head = [...kept.all, chunk];
        const prefix = Buffer.from(Buffer.concat(head).subarray(0, OVER_LIMIT_PREFIX));
        return resolve({ body: prefix, size, truncated: true, sha256: '', aborted: false, stream: streamRest(req, head, size) });
      }
      if (hash === null) {
        // First byte over the limit: from now on hash as we go, since the bytes are not all kept.
        hash = createHash('sha256');
        for (const c of kept.all) hash.update(c);
      }
      hash.update(chunk);
      // Keep only what the stored prefix still needs, from this chunk and the next ones
      // (so the prefix is min(size, 64 KiB) however the bytes were split); drop the rest.
      const room = OVER_LIMIT_PREFIX - kept.length;
      if (room > 0) kept.push(chunk.subarray(0, room));
    };
    const listeners: [string, Parameters<IncomingMessage['on']>[1]][] = [
      ['data', onData],
      ['end', onEnd],
      ['aborted', onAbort],
      ['error', onAbort],
      ['close', onClose],
    ];
    for (const [event, fn] of listeners) req.on(event, fn);
  });
}

/**
 * The whole body as a stream: the chunks read so far, then the rest of `req`, paused while the
 * reader is behind. Counted and hashed to the end even after `discard()`.
 */
function streamRest(req: IncomingMessage, head: Buffer[], sizeSoFar: number): BodyStream {
  const out = new PassThrough();
  const hash = createHash('sha256');
  for (const c of head) {
    hash.update(c);
    out.write(c);
  }
  let size = sizeSoFar;
  let discarded = false;
  let settle!: (t: BodyTotals) => void;
  const done = new Promise<BodyTotals>((resolve) => (settle = resolve));
  let settled = false;
  const finish = (aborted: boolean) => {
    if (settled) return;
    settled = true;
    if (aborted) out.destroy(new Error('the client closed the connection before the body ended'));
    else out.end();
    settle({ size, sha256: hash.digest('hex'), aborted });
  };
  out.on('drain', () => req.resume());
  // A reader that fails (the upstream went away) stops reading: the rest is drained instead.
  out.on('error', () => undefined);
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    hash.update(chunk);
    if (!discarded && !out.write(chunk)) req.pause();
  });
  req.on('end', () => finish(false));
  req.on('aborted', () => finish(true));
  req.on('error', () => finish(true));
  req.on('close', () => finish(!req.complete));
  return {
    readable: out,
    done,
    discard: () => {
      discarded = true;
      out.resume();
      req.resume();
    },
  };
}
