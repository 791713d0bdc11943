// The capture rows of the conversation tables: a setup an answer makes, and the meeting of an
// expectation by a later request (both written in that request's capture transaction).

import { migrationFiles, type CapturePart, type CaptureRow } from '../store';

export const CONVERSATION_CAPTURE: CapturePart = {
  statements: {
    'conversation:setup': `INSERT INTO conversation_setups (request_id, client_key, protocol, kind, at, until, ref, data, expectation)
      VALUES (@requestId, @clientKey, @protocol, @kind, @at, @until, @ref, @data, @expectation)`,
    'conversation:meet': `UPDATE conversation_setups SET met_by = @requestId WHERE id = @setupId AND met_by IS NULL`,
    'conversation:seen': `INSERT OR IGNORE INTO conversation_seen (digest, request_id, at) VALUES (@digest, @requestId, @at)`,
  },
  tables: ['conversation_seen', 'conversation_setups'],
  migrations: migrationFiles('conversation'),
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

/** The request being captured was accepted with this digest (20 bytes): a later `seen(digest)` finds it. Kept once: the first wins. */
export const seenRow = (digest: Buffer, at: Date): CaptureRow => ({ stmt: 'conversation:seen', params: { digest, at: at.getTime() } });
