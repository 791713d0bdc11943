// The wire request a protocol route sees (plain data, body already read) and the outcome it
// returns; the dispatcher captures the outcome, then sends it. Routes never touch sockets.

import type { IncomingHttpHeaders } from 'node:http';
import type { Delivery } from '../scenario/types';
import type { BucketHit, CerLevel2Record, CerReportRecord, FindingRecord, ForwardRecord, SessionRecord, TokenRecord, TokenUseRecord } from '../store/records';

export interface RequestHead {
  listener: string;
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Path without the query, not percent-decoded. */
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Header pairs in arrival order, names as sent. */
  rawHeaders: [string, string][];
  remoteAddress?: string;
  receivedAt: Date;
}

export interface WireRequest extends RequestHead {
  body: Buffer;
  bodySize: number;
  bodyTruncated: boolean;
  bodySha256: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** One line saying why, for 4xx/5xx answers; stored with the request. */
  reason?: string;
}

export interface Outcome {
  protocol: string;
  partner?: string | null;
  ruleName?: string | null;
  answer: Answer;
  sessions?: SessionRecord[];
  findings?: FindingRecord[];
  /** The scenario's delay and fault for this answer; none when absent. */
  delivery?: Delivery;
  /** SQM v2 tokens issued and used by this request. */
  tokens?: TokenRecord[];
  tokenUses?: TokenUseRecord[];
  /** CER: bucket hit and level-1 report, or a level-2 cabinet. */
  bucketHit?: BucketHit;
  cerReport?: CerReportRecord;
  cerLevel2?: CerLevel2Record;
  /** The upstream leg, when the request was forwarded (CEIP, relay). */
  forward?: ForwardRecord;
}

export const textAnswer = (status: number, text: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body: Buffer.from(text.endsWith('\n') || text === '' ? text : text + '\n', 'utf8'),
  reason: status >= 400 ? text : undefined,
});
