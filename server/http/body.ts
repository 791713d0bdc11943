// Reads a request body with a limit: bytes up to the limit are kept whole; past it the rest is
// drained, counted and hashed but not kept (bounded memory), and only a prefix is stored. A route
// that streams (the relay) gets the whole over-limit body as a stream instead of a drain. Buffers
// grow with what arrives, never from a declared length; kept bytes count against a global budget.

import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { BodyStream, BodyTotals } from '../core/types';
import type { BudgetEntry } from '../limits/body-budget';

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

/**
 * Collects chunks as they arrive: nothing is allocated from a declared Content-Length (a client
 * declaring 100 MiB and sending 1 byte costs 1 byte). result() copies them once into a buffer
 * exactly as long as what is kept.
 */
class Collector {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  get all(): readonly Buffer[] {
    return this.chunks;
  }
  /** The first `max` bytes (all by default) in a buffer of their own. */
  result(max = this.length): Buffer {
    return ownedCopy(this.chunks, Math.min(max, this.length));
  }
}

/**
 * `length` bytes of `chunks` in an ArrayBuffer of exactly that size (allocUnsafeSlow: not the shared
 * pool), so it moves to the writer worker without a copy, and no sub-view drags a larger buffer along.
 */
export function ownedCopy(chunks: readonly Buffer[], length: number): Buffer {
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const c of chunks) {
    if (at >= length) break;
    at += c.copy(out, at, 0, Math.min(c.length, length - at));
  }
  return out;
}

/**
 * Reads `req`'s body, keeping up to `limit` bytes. With a budget entry, every kept byte is counted
 * there and the request is paused (its socket no longer read) while the budget says so.
 */
export function readBody(req: IncomingMessage, limit: number, options: ReadBodyOptions = {}, budget?: BudgetEntry): Promise<ReadBody> {
  budget?.onResume(() => req.resume());
  const kept = new Collector();
  const keep = (chunk: Buffer): void => {
    kept.push(chunk);
    if (budget && !budget.add(chunk.length)) req.pause();
  };
  return new Promise((resolve) => {
    let hash: Hash | null = null;
    let size = 0;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      budget?.doneReading();
      if (hash === null) return resolve({ body: kept.result(), size, truncated: false, sha256: '', aborted });
      // A copy of its own, so the (up to `limit`) bytes kept before the limit was passed can be freed.
      resolve({ body: kept.result(OVER_LIMIT_PREFIX), size, truncated: true, sha256: hash.digest('hex'), aborted });
    };
    const onEnd = () => finish(false);
    const onAbort = () => finish(true);
    const onClose = () => finish(!req.complete);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (hash === null && size <= limit) return keep(chunk);
      if (hash === null && options.streamOverLimit) {
        // First byte over the limit, and the route streams: hand over the whole body from here.
        done = true;
        budget?.doneReading();
        for (const [event, fn] of listeners) req.off(event, fn);
        const head = [...kept.all, chunk];
        const prefix = ownedCopy(head, Math.min(OVER_LIMIT_PREFIX, size));
        const stream = streamRest(req, head, size);
        // The budget may have paused it; from here the stream's own backpressure decides.
        req.resume();
        return resolve({ body: prefix, size, truncated: true, sha256: '', aborted: false, stream });
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
      if (room > 0) keep(chunk.subarray(0, room));
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
