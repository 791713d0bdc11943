// What SQM v2 remembers across requests: the tokens it issued (MS-SQMCS2 2.2.3.6.2) and which
// requests used them. One interface, two implementations: SQLite for the server, memory for unit
// tests; state.contract.test.ts runs the same cases against both.

import type { ConversationState } from '../../conversation';
import { StatementCache, type CaptureRecord, type Store } from '../../store';

export interface TokenRow {
  token: string;
  requestId: number;
  namespace: unknown;
  mid: string | null;
  issuedAt: string;
  expiresAt: string;
  expiresFiletime: string;
  usedBy: number[];
  /** The requests whose dataupload with this token got a receipt. */
  receipts: number[];
}

/** What SQM v2 handlers and admin routes get: the tokens and the conversation with each client. */
export interface V2State {
  tokens: TokenState;
  conversation: ConversationState;
}

export interface TokenState {
  /** One token, or undefined when it was never issued (or the store was reset). */
  token(token: string): TokenRow | undefined;
  /** Every token, in issue order. */
  tokens(): TokenRow[];
}

/** Tokens SqliteTokenState keeps in memory (then it starts again from none, reading the table). */
export const TOKEN_CACHE_ENTRIES = 10_000;

export class SqliteTokenState implements TokenState {
  private readonly cache: StatementCache;
  /**
   * The tokens issued or read since the start (or the last reset), kept as the table has them: each
   * committed capture is applied to it. A dataupload then costs no read of the store, which the
   * writer's commits make slow (every commit empties this connection's page cache).
   */
  private readonly known = new MemoryTokenState();
  constructor(store: Store) {
    this.cache = new StatementCache(store.db, 10);
    store.onCommitted((record, ids) => {
      if (this.known.size >= TOKEN_CACHE_ENTRIES) this.known.clear();
      this.known.apply(record, ids.requestId);
    });
    store.onReset(() => this.known.clear());
  }
  token(token: string): TokenRow | undefined {
    const known = this.known.token(token);
    if (known) return known;
    const row = this.read(token);
    if (row) this.known.remember(row);
    return row;
  }
  private read(token: string): TokenRow | undefined {
    // One statement (one read of the store) for the token and its uses: this runs for every
    // dataupload, while the writer commits.
    const row = this.cache
      .prepare(
        `SELECT token, request_id AS requestId, namespace, mid, issued_at AS issuedAt, expires_at AS expiresAt,
        expires_filetime AS expiresFiletime,
        (SELECT json_group_array(json_array(request_id, outcome)) FROM
          (SELECT request_id, outcome FROM sqm_token_uses u WHERE u.token = t.token ORDER BY request_id)) AS uses
        FROM sqm_tokens t WHERE token = ?`,
      )
      .get(token) as (Omit<TokenRow, 'usedBy' | 'namespace' | 'receipts'> & { namespace: string; uses: string }) | undefined;
    if (!row) return undefined;
    const { uses: usesJson, ...rest } = row;
    const uses = (JSON.parse(usesJson) as [number, string][]).map(([id, outcome]) => ({ id, outcome }));
    const ids = (list: { id: number }[]) => [...new Set(list.map((u) => u.id))];
    return { ...rest, namespace: JSON.parse(row.namespace) as unknown, usedBy: ids(uses), receipts: ids(uses.filter((u) => u.outcome === 'receipt')) };
  }
  tokens(): TokenRow[] {
    const rows = this.cache.prepare('SELECT token FROM sqm_tokens ORDER BY rowid').all() as { token: string }[];
    return rows.map((r) => this.read(r.token)!);
  }
}

/** The same answers from memory: `apply` takes what a capture would have committed. */
export class MemoryTokenState implements TokenState {
  private readonly issued = new Map<string, TokenRow>();
  get size(): number {
    return this.issued.size;
  }
  clear(): void {
    this.issued.clear();
  }
  /** A token as the table has it (its uses included): later captures are applied to it. */
  remember(row: TokenRow): void {
    this.issued.set(row.token, { ...row, usedBy: [...row.usedBy], receipts: [...row.receipts] });
  }
  apply(record: CaptureRecord, requestId: number): void {
    for (const row of record.rows ?? []) {
      const p = row.params as Record<string, string>;
      if (row.stmt === 'sqm-v2:token') {
        this.issued.set(p.token, {
          token: p.token,
          requestId,
          namespace: JSON.parse(p.namespace),
          mid: p.mid ?? null,
          issuedAt: p.issuedAt,
          expiresAt: p.expiresAt,
          expiresFiletime: p.expiresFiletime,
          usedBy: [],
          receipts: [],
        });
      } else if (row.stmt === 'sqm-v2:token-use') {
        const t = this.issued.get(p.token);
        if (t && !t.usedBy.includes(requestId)) t.usedBy.push(requestId);
        if (t && p.outcome === 'receipt' && !t.receipts.includes(requestId)) t.receipts.push(requestId);
      }
    }
  }
  token(token: string): TokenRow | undefined {
    const t = this.issued.get(token);
    return t && { ...t, usedBy: [...t.usedBy], receipts: [...t.receipts] };
  }
  tokens(): TokenRow[] {
    return [...this.issued.keys()].map((t) => this.token(t)!);
  }
}
