// What the mock's answers set up for each client (INTERFACE.md section 5), read back to judge later
// requests: SQLite for the server, memory for unit tests (state.contract.test.ts runs both).

import { parseJson, StatementCache, Where, type CaptureRecord, type Db, type Store } from '../store';
import { SetupPresence } from './presence';

export interface Setup {
  id: number;
  requestId: number;
  clientKey: string;
  protocol: string;
  kind: string;
  /** ISO time (mock clock) it was set up. */
  at: string;
  /** ISO end of its window, if it has one. */
  until: string | null;
  /** What a later request matches exactly. */
  ref: string | null;
  data: Record<string, unknown>;
  /** The expectation it opens (a rule code), if any. */
  expectation: string | null;
  metBy: number | null;
}

export interface SetupQuery {
  /** One kind, or several (one query for all of them). */
  kind: string | readonly string[];
  clientKey?: string;
  /** Only setups whose window has not ended at this ISO time. */
  activeAt?: string;
  /** Only setups with this ref (the indexed exact match: use it for anything a client may have many of). */
  ref?: string;
  /** Only setups whose data has these values (compared as text). */
  match?: Record<string, string | number>;
  /** Only expectations not met yet. */
  unmet?: boolean;
  /** Only the latest one. With a client and no other filter but kinds, answered from memory until a commit changes it: do not change what it gives. */
  last?: boolean;
}

/** The first accepted request with a digest (`seenRow`). */
export interface Seen {
  requestId: number;
  /** ISO time (mock clock) it was accepted. */
  at: string;
}

export interface ConversationState {
  setups(q: SetupQuery): Setup[];
  /** The first request accepted with this digest (40 hex digits, as `seenRow` took it), if any. */
  seen(digest: string): Seen | undefined;
  /** False when this client certainly has no setup of this kind (skip work that only feeds a query). */
  mayHave(kind: string, clientKey: string): boolean;
  /** Unmet expectations, of one client or of all. */
  expectations(clientKey?: string): Setup[];
}

type Raw = Omit<Setup, 'data'> & { data: string };
/** The presence filter's kind for seen digests (no setup kind has a NUL). */
const SEEN = '\u0000seen';
const COLUMNS = `id, request_id AS requestId, client_key AS clientKey, protocol, kind, at, until, ref, data, expectation, met_by AS metBy`;
const toSetup = (r: Raw): Setup => ({ ...r, data: parseJson<Record<string, unknown>>(r.data) ?? {} });

/** How many found digests SqliteConversation keeps in memory (then it starts again from none). */
export const SEEN_MEMO_ENTRIES = 10_000;

export class SqliteConversation implements ConversationState {
  private readonly cache: StatementCache;
  /** Digests found in the table: the first accepted request of a digest never changes until reset. */
  private readonly found = new Map<string, Seen>();
  /**
   * Answers of `last` queries by client (kinds → the setup or none), until a commit adds a setup of
   * that client or meets one: a client's latest session costs no read of the store on each message.
   */
  private readonly latest = new Map<string, Map<string, Setup[]>>();
  constructor(
    db: Db,
    /** Which clients have setups of which kind: lets most per-upload queries be skipped. */
    private readonly presence?: SetupPresence,
  ) {
    this.cache = new StatementCache(db, 100);
  }
  setups(q: SetupQuery): Setup[] {
    const kinds = typeof q.kind === 'string' ? [q.kind] : q.kind;
    const { presence } = this;
    if (presence && q.clientKey !== undefined && !kinds.some((k) => presence.mayHave(k, q.clientKey!))) return [];
    const w = new Where();
    w.clauses.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
    w.params.push(...kinds);
    w.add('ref = ?', q.ref).add('client_key = ?', q.clientKey).add('until > ?', q.activeAt);
    if (q.unmet) w.clauses.push('met_by IS NULL');
    for (const [k, v] of Object.entries(q.match ?? {})) {
      w.clauses.push(`CAST(json_extract(data, '$.' || ?) AS TEXT) = ?`);
      w.params.push(k, String(v));
    }
    const order = q.last ? 'ORDER BY id DESC LIMIT 1' : 'ORDER BY id';
    const memo = q.last && q.clientKey !== undefined && !q.activeAt && !q.unmet && !q.match && q.ref === undefined ? kinds.join(',') : null;
    const known = memo === null ? undefined : this.latest.get(q.clientKey!)?.get(memo);
    if (known) return known;
    const rows = (this.cache.prepare(`SELECT ${COLUMNS} FROM conversation_setups ${w.sql} ${order}`).all(...w.params) as Raw[]).map(toSetup);
    if (memo !== null) {
      if (this.latest.size >= SEEN_MEMO_ENTRIES) this.latest.clear();
      const byKinds = this.latest.get(q.clientKey!) ?? new Map<string, Setup[]>();
      this.latest.set(q.clientKey!, byKinds.set(memo, rows));
    }
    return rows;
  }
  /** A capture committed: the `last` answers it may change are forgotten. */
  committed(record: CaptureRecord): void {
    for (const row of record.rows ?? []) {
      if (row.stmt === 'conversation:setup') this.latest.delete(String(row.params.clientKey));
      else if (row.stmt === 'conversation:meet') this.latest.clear();
    }
  }
  seen(digest: string): Seen | undefined {
    if (this.presence && !this.presence.mayHave(SEEN, digest)) return undefined;
    // A client that sends the same session again and again (a resend loop) costs no query each time.
    const known = this.found.get(digest);
    if (known) return known;
    // The indexed table, and the few thousand appended since the last compaction (rows.ts).
    const row = this.cache
      .prepare(
        `SELECT request_id AS requestId, at FROM conversation_seen WHERE digest = unhex(?)
         UNION ALL SELECT request_id, at FROM conversation_seen_recent WHERE digest = unhex(?) ORDER BY requestId LIMIT 1`,
      )
      .get(digest, digest) as { requestId: number; at: number } | undefined;
    if (!row) return undefined;
    const seen = { requestId: row.requestId, at: new Date(row.at).toISOString() };
    if (this.found.size >= SEEN_MEMO_ENTRIES) this.found.clear();
    this.found.set(digest, seen);
    return seen;
  }
  /** Forgets what it found (the store was reset). */
  forget(): void {
    this.found.clear();
    this.latest.clear();
  }
  mayHave(kind: string, clientKey: string): boolean {
    return this.presence?.mayHave(kind, clientKey) ?? true;
  }
  expectations(clientKey?: string): Setup[] {
    const sql = `SELECT ${COLUMNS} FROM conversation_setups WHERE expectation IS NOT NULL AND met_by IS NULL${clientKey === undefined ? '' : ' AND client_key = ?'} ORDER BY id`;
    return (this.cache.prepare(sql).all(...(clientKey === undefined ? [] : [clientKey])) as Raw[]).map(toSetup);
  }
}

const perStore = new WeakMap<Store, SqliteConversation>();

/**
 * The store's conversation state, one per store whichever modules ask: its presence filter is filled
 * from the table at open, kept up to date from each record handed to the writer, emptied by reset.
 */
export function conversationOf(store: Store): SqliteConversation {
  let found = perStore.get(store);
  if (!found) {
    const presence = new SetupPresence();
    const rows = store.db.prepare('SELECT DISTINCT kind, client_key AS clientKey FROM conversation_setups').iterate() as IterableIterator<{ kind: string; clientKey: string }>;
    for (const r of rows) presence.add(r.kind, r.clientKey);
    const digests = store.db.prepare('SELECT hex(digest) FROM conversation_seen UNION ALL SELECT hex(digest) FROM conversation_seen_recent').pluck();
    for (const d of digests.iterate() as IterableIterator<string>) presence.add(SEEN, d.toLowerCase());
    store.onRecord((record) => {
      for (const row of record.rows ?? []) {
        if (row.stmt === 'conversation:setup') presence.add(String(row.params.kind), String(row.params.clientKey));
        else if (row.stmt === 'conversation:seen') presence.add(SEEN, String(row.params.digest));
      }
    });
    const conversation = new SqliteConversation(store.db, presence);
    store.onCommitted((record) => conversation.committed(record));
    store.onReset(() => {
      presence.clear();
      conversation.forget();
    });
    found = conversation;
    perStore.set(store, found);
  }
  return found;
}

/** The same answers from memory: `apply` takes what a capture would have committed. */
export class MemoryConversation implements ConversationState {
  private readonly rows: Setup[] = [];
  private readonly seenDigests = new Map<string, Seen>();
  apply(record: CaptureRecord, requestId: number): void {
    for (const row of record.rows ?? []) {
      const p = row.params as Record<string, string | number | null>;
      if (row.stmt === 'conversation:seen') {
        const key = String(row.params.digest);
        if (!this.seenDigests.has(key)) this.seenDigests.set(key, { requestId, at: new Date(Number(p.at)).toISOString() });
      } else if (row.stmt === 'conversation:setup') {
        this.rows.push(
          toSetup({
            id: this.rows.length + 1,
            requestId,
            clientKey: String(p.clientKey),
            protocol: String(p.protocol),
            kind: String(p.kind),
            at: String(p.at),
            until: p.until === null ? null : String(p.until),
            ref: p.ref === null || p.ref === undefined ? null : String(p.ref),
            data: String(p.data),
            expectation: p.expectation === null ? null : String(p.expectation),
            metBy: null,
          }),
        );
      } else if (row.stmt === 'conversation:meet') {
        const s = this.rows.find((x) => x.id === p.setupId);
        if (s && s.metBy === null) s.metBy = requestId;
      }
    }
  }
  setups(q: SetupQuery): Setup[] {
    const found = this.rows.filter(
      (s) =>
        (typeof q.kind === 'string' ? s.kind === q.kind : q.kind.includes(s.kind)) &&
        (q.clientKey === undefined || s.clientKey === q.clientKey) &&
        (q.ref === undefined || s.ref === q.ref) &&
        (q.activeAt === undefined || (s.until !== null && s.until > q.activeAt)) &&
        (!q.unmet || s.metBy === null) &&
        Object.entries(q.match ?? {}).every(([k, v]) => String(s.data[k] as string | number) === String(v)),
    );
    return q.last ? found.slice(-1) : found;
  }
  seen(digest: string): Seen | undefined {
    return this.seenDigests.get(digest);
  }
  mayHave(kind: string, clientKey: string): boolean {
    return this.rows.some((s) => s.kind === kind && s.clientKey === clientKey);
  }
  expectations(clientKey?: string): Setup[] {
    return this.rows.filter((s) => s.expectation !== null && s.metBy === null && (clientKey === undefined || s.clientKey === clientKey));
  }
}
