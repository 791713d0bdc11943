// The capture rows of the conversation tables: a setup an answer makes, and the meeting of an
// expectation by a later request (both written in that request's capture transaction).

import { migrationFiles, type CapturePart, type CaptureRow } from '../store';

/**
 * Seen digests appended before they are moved into the indexed table: a lookup scans at most this
 * many (about 0.3 ms), and a move of this many takes about 10 ms of the writer.
 */
export const SEEN_COMPACT_ROWS = 8192;

export const CONVERSATION_CAPTURE: CapturePart = {
  statements: {
    'conversation:setup': `INSERT INTO conversation_setups (request_id, client_key, protocol, kind, at, until, ref, data, expectation)
      VALUES (@requestId, @clientKey, @protocol, @kind, @at, @until, @ref, @data, @expectation)`,
    'conversation:meet': `UPDATE conversation_setups SET met_by = @requestId WHERE id = @setupId AND met_by IS NULL`,
    // Appended; the compaction below moves them into conversation_seen (conversation migration 003).
    'conversation:seen': `INSERT INTO conversation_seen_recent (digest, request_id, at) VALUES (unhex(@digest), @requestId, @at)`,
  },
  tables: ['conversation_seen_recent', 'conversation_seen', 'conversation_setups'],
  migrations: migrationFiles('conversation'),
  compactions: [
    {
      stmt: 'conversation:seen',
      everyRows: SEEN_COMPACT_ROWS,
      // In digest order, so each page of the index takes its new entries at once; the first request
      // of a digest wins (OR IGNORE keeps one moved before, `id` orders the rest).
      sql: [
        'INSERT OR IGNORE INTO conversation_seen (digest, request_id, at) SELECT digest, request_id, at FROM conversation_seen_recent ORDER BY digest, id',
        'DELETE FROM conversation_seen_recent',
      ],
    },
  ],
};

export interface SetupInput {
  clientKey: string;
  protocol: string;
  kind: string;
  at: Date;
  /** End of its window. */
  until?: Date;
  /** What a later request matches exactly (indexed): a session digest, a DumpFile key, `<partner>:<version>`. */
  ref?: string;
  data?: Record<string, unknown>;
  /** The expectation it opens: its rule code and what the report says while it is unmet. */
  expectation?: { rule: string; specRef: string; message: string };
}

export const setupRow = (s: SetupInput): CaptureRow => ({
  stmt: 'conversation:setup',
  params: {
    clientKey: s.clientKey,
    protocol: s.protocol,
    kind: s.kind,
    at: s.at.toISOString(),
    until: s.until ? s.until.toISOString() : null,
    ref: s.ref ?? null,
    data: JSON.stringify({ ...(s.data ?? {}), ...(s.expectation ? { expect: { specRef: s.expectation.specRef, message: s.expectation.message } } : {}) }),
    expectation: s.expectation?.rule ?? null,
  },
});

/** The request being captured meets this setup's expectation. */
export const meetRow = (setupId: number): CaptureRow => ({ stmt: 'conversation:meet', params: { setupId } });

/**
 * The request being captured was accepted with this digest (20 bytes, as 40 hex digits: a string
 * costs the writer message less than a byte array): a later `seen(digest)` finds it. The first wins.
 */
export const seenRow = (digest: string, at: Date): CaptureRow => ({ stmt: 'conversation:seen', params: { digest, at: at.getTime() } });
