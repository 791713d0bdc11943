// What a request's capture hands to the store: the request with its answer, the rows its
// protocol module adds to its own tables, and every finding. Plain data; the store assigns ids.

import type { Finding } from '../wire/findings';

export interface RequestRecord {
  receivedAt: Date;
  listener: string;
  protocol: string;
  method: string;
  path: string;
  headers: [string, string][];
  /** The request line's HTTP version ("1.1", "1.0"). */
  httpVersion?: string;
  remoteAddress?: string;
  body: Buffer;
  bodySize: number;
  bodyTruncated: boolean;
  bodySha256: string;
  status: number;
  responseHeaders: Record<string, string | string[]>;
  responseBody?: Buffer;
  ruleName?: string | null;
  partner?: string | null;
  reason?: string | null;
  durationMs: number;
  /** Who sent it, as the protocol keys its clients (INTERFACE.md section 5). */
  clientKey?: string | null;
  /** Scenario fault that replaced the answer, if any. */
  fault?: string | null;
  delayMs?: number;
}

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

/**
 * One row a protocol module writes in the capture transaction: `stmt` names one of the statements
 * its capture part declares (`<module>:<name>`). `@requestId` (the request row's id) is bound by the
 * writer. `key` names the row's id for others: findings with `sessionIndex: i` point at the row
 * keyed `session:i`.
 */
export interface CaptureRow {
  stmt: string;
  params: Record<string, SqlValue>;
  key?: string;
}

/** `request`: judges the request alone; `conversation`: breaks a rule an earlier answer set up. */
export type FindingKind = 'request' | 'conversation';

export interface FindingRecord extends Finding {
  protocol: string;
  kind?: FindingKind;
  /** For conversation findings: the request whose answer set the rule up. */
  relatedRequestId?: number | null;
  clientKey?: string | null;
  /** The session (row keyed `session:<i>`) the finding belongs to, if any. */
  sessionIndex?: number;
}

export interface CaptureRecord {
  request: RequestRecord;
  rows?: CaptureRow[];
  findings?: FindingRecord[];
}

export interface CaptureIds {
  requestId: number;
  /** Ids of the keyed rows (`session:0` …). */
  rowIds: Record<string, number>;
}

/** A migration of a module's own tables, applied once (by id) after db/migrations. */
export interface Migration {
  id: string;
  sql: string;
  /** Stores older than this module-migration scheme got these tables from db/migrations up to this user_version. */
  legacyUserVersion?: number;
}

/**
 * What a protocol module adds to the store: the statements its rows use, the tables it owns
 * (emptied by reset, children first) and their migrations. Plain data, so the writer thread gets it too.
 */
export interface CapturePart {
  statements?: Record<string, string>;
  tables?: readonly string[];
  migrations?: readonly Migration[];
  compactions?: readonly Compaction[];
}

/**
 * Upkeep of a part's tables, run by the writer in a transaction of its own: when the store opens,
 * and after every `everyRows` rows of statement `stmt`, once the answers of the commit that made
 * it due have gone (e.g. moving rows appended cheaply into an indexed table, in key order).
 */
export interface Compaction {
  stmt: string;
  everyRows: number;
  sql: readonly string[];
}
