// Reads a request body with a limit: bytes up to the limit are kept whole; past it the rest is
// drained, counted and hashed but not kept (bounded memory), and only a prefix is stored.

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How much of an over-limit body is kept for the capture. */
export const OVER_LIMIT_PREFIX = 64 * 1024;

export interface ReadBody {
  body: Buffer;
  size: number;
  /** True when the body was over the limit and only a prefix was kept. */
  truncated: boolean;
  sha256: string;
  /** True when the client went away before the body ended. */
  aborted: boolean;
}

export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    let over = false;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      let body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept);
      if (over) body = body.subarray(0, Math.min(body.length, OVER_LIMIT_PREFIX));
      resolve({ body, size, truncated: over, sha256: hash.digest('hex'), aborted });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      if (!over && kept + chunk.length > limit) over = true;
      if (!over) {
        chunks.push(chunk);
        kept += chunk.length;
        return;
      }
      // Over the limit: keep only what the stored prefix still needs, from this chunk and the next
      // ones (so the prefix is min(size, 64 KiB) however the bytes were split), drop the rest.
      const room = OVER_LIMIT_PREFIX - kept;
      if (room > 0) {
        const part = chunk.subarray(0, room);
        chunks.push(part);
        kept += part.length;
      }
    });
    req.on('end', () => finish(false));
    req.on('aborted', () => finish(true));
    req.on('error', () => finish(true));
    req.on('close', () => finish(!req.complete));
  });
}
