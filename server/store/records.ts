// What the protocol handlers hand to the store: one request with its answer, the sessions
// decoded from it and every finding. Plain data; the store assigns the ids.

import type { SessionRecord } from '../codecs/sqm-session/record';
import type { Finding } from '../wire/findings';

export type { SectionRecord, SessionRecord } from '../codecs/sqm-session/record';

export interface RequestRecord {
  receivedAt: Date;
  listener: string;
  protocol: string;
  method: string;
  path: string;
  headers: [string, string][];
  remoteAddress?: string;
  body: Buffer;
  bodySize: number;
  bodyTruncated: boolean;
  bodySha256: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: Buffer;
  ruleName?: string | null;
  partner?: string | null;
  reason?: string | null;
  durationMs: number;
  /** Scenario fault that replaced the answer, if any. */
  fault?: string | null;
  delayMs?: number;
}

export interface FindingRecord extends Finding {
  protocol: string;
  /** Index into CaptureRecord.sessions, when the finding belongs to one session. */
  sessionIndex?: number;
}

export interface TokenRecord {
  token: string;
  namespace: unknown;
  mid?: string | null;
  issuedAt: Date;
  expiresAt: Date;
  expiresFiletime: bigint;
}

export interface TokenUseRecord {
  token: string;
  reqKey: string;
  outcome: 'receipt' | 'error';
}

/** A CER signature's bucket, as assigned by the main thread (CerState). */
export interface BucketHit {
  signatureKey: string;
  bucket: number;
  bucketTable: number;
  eventType: string;
}

export interface CerReportRecord {
  accepted: boolean;
  eventType?: string | null;
  reportType?: string | null;
  bucket?: number | null;
  bucketTable?: number | null;
  signatureKey?: string | null;
  report: unknown;
  instructions: unknown;
  dumpFile?: string | null;
  dumpKey?: string | null;
  filesharePath?: string | null;
}

export interface CerLevel2Record {
  reportId: number;
  size: number;
  sha256: string;
  files: { name: string; size: number }[];
  corrupt: boolean;
  filesharePath?: string | null;
}

/** The upstream leg of a forwarded request. */
export interface ForwardRecord {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  requestBody: Buffer;
  requestSha256: string;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: Buffer;
  error: string | null;
  durationMs: number;
}

export interface CaptureRecord {
  request: RequestRecord;
  forward?: ForwardRecord;
  /** CER: the bucket hit, the level-1 report, or a level-2 cabinet. */
  bucketHit?: BucketHit;
  cerReport?: CerReportRecord;
  cerLevel2?: CerLevel2Record;
  sessions?: SessionRecord[];
  findings?: FindingRecord[];
  /** SQM v2 tokens issued by this request's answer. */
  tokens?: TokenRecord[];
  tokenUses?: TokenUseRecord[];
}

export interface CaptureIds {
  requestId: number;
  sessionIds: number[];
  cerReportId?: number;
}
