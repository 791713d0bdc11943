// The wire request a protocol route sees (plain data, body already read) and the outcome it
// returns; the dispatcher captures the outcome, then sends it. Routes never touch sockets.
// The module contract every protocol folder fulfils is in module.ts.

import type { ExtractOptions } from '../cab';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Delivery } from '../scenario/types';
import type { CaptureRow, FindingRecord } from '../store/records';

export interface RequestHead {
  listener: string;
  method: string;
  /**
   * The request-target exactly as the client sent it (RFC 7230 5.3), also when Node's parser
   * would refuse it (`\PersistedCabs\…`); the capture's `path`.
   */
  target: string;
  /** Path and query as received: the target, an absolute-form one reduced to its origin-form (RFC 7230 5.3.2). */
  url: string;
  /** Path without the query, not percent-decoded. */
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Header pairs in arrival order, names as sent. */
  rawHeaders: [string, string][];
  /** The version of the request line, as sent ("1.1", "1.0"). */
  httpVersion?: string;
  remoteAddress?: string;
  /** The TCP connection it came on, unique per listener while the server runs (NTLM authenticates a connection). */
  connectionId?: string;
  receivedAt: Date;
}

export interface WireRequest extends RequestHead {
  body: Buffer;
  bodySize: number;
  bodyTruncated: boolean;
  bodySha256: string;
  /**
   * For a route with `streamsOverLimit`, when the body is over its limit: the whole body as a
   * stream (`body` then holds its first 64 KiB; `bodySize` and `bodySha256` are known at `done`).
   */
  bodyStream?: BodyStream;
  /** For LZX/Quantum cabinets in the body: answers extracted before decoding (server/cab/prefetch.ts), set by the routes that decode them. */
  cabFallback?: ExtractOptions['fallback'];
}

/** The size and sha256 of a streamed body, once it has ended (or the client went away). */
export interface BodyTotals {
  size: number;
  sha256: string;
  aborted: boolean;
}

/** An over-limit body passed on as it arrives (the relay forwards it without holding it). */
export interface BodyStream {
  /** Every byte of the body, from the first. */
  readable: Readable;
  /** Settles when the client's body has ended or was cut off. */
  done: Promise<BodyTotals>;
  /** Stop passing bytes on (the reader is done); the rest is still read, counted and hashed. */
  discard(): void;
}

export interface Answer {
  status: number;
  /** A list sends the header once per value, in order (CER's 401 offers each scheme in its own WWW-Authenticate). */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** One line saying why, for 4xx/5xx answers; stored with the request. */
  reason?: string;
}

export interface Outcome {
  protocol: string;
  partner?: string | null;
  ruleName?: string | null;
  /** Who sent it, as the protocol keys its clients (INTERFACE.md section 5): the conformance report groups by it. */
  clientKey?: string | null;
  answer: Answer;
  /** The scenario's delay and fault for this answer; none when absent. */
  delivery?: Delivery;
  findings?: FindingRecord[];
  /** Rows for the protocol modules' own tables, written in the capture transaction. */
  rows?: CaptureRow[];
  /**
   * Called when the capture of this outcome failed (nothing of it was stored; the client got 503):
   * undoes what the handler took in memory or on disk (CER: the level-2 claim, the fileshare copy).
   */
  onCaptureFailed?: () => void;
}

export const textAnswer = (status: number, text: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body: Buffer.from(text.endsWith('\n') || text === '' ? text : text + '\n', 'utf8'),
  reason: status >= 400 ? text : undefined,
});
