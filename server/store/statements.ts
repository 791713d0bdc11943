// Prepared statements by SQL text, for every read side of the store (the core's and each
// module's): preparing costs more than running a small query, and filters make many shapes.

import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    private readonly max = 500,
  ) {}

  prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      // Keep the cache bounded: a filter combination is one entry.
      if (this.statements.size >= this.max) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }
}

/** WHERE clauses built from optional filter values (an absent value adds nothing). */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, value: unknown): this {
    if (value === undefined || value === null || value === '') return this;
    this.clauses.push(clause);
    this.params.push(value);
    return this;
  }

  /** `WHERE a AND b`, or nothing when no filter was given. */
  get sql(): string {
    return this.clauses.length ? 'WHERE ' + this.clauses.join(' AND ') : '';
  }
}

/** Newest `limit` rows, returned oldest first; or, with `first` (and no limit), the oldest `first` rows. */
export const tail = (sql: string, limit?: number, first?: number): string =>
  limit && limit > 0
    ? `SELECT * FROM (${sql} ORDER BY id DESC LIMIT ${Math.floor(limit)}) ORDER BY id`
    : `${sql} ORDER BY id${first && first > 0 ? ` LIMIT ${Math.floor(first)}` : ''}`;

/** A JSON column back to a value (null stays null). */
export const parseJson = <T = unknown>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
