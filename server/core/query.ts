// Query-string values of the admin API, parsed with clear 400s for bad values: the helpers every
// module's admin part uses for its filters.

import { ERR, quote } from '../errors';
import { closest } from '../suggest';

export type Query = Record<string, unknown>;

/**
 * The names of a filter type's parameters, checked against the type both ways (a key missing or
 * extra fails the typecheck): the one list behind the route's check and the typed client.
 * @example export const REQUEST_PARAMS = paramNames<RequestQuery>({ protocol: true, limit: true, since: true });
 */
export const paramNames = <T>(all: { [K in keyof Required<T>]: true }): readonly (keyof T & string)[] => Object.keys(all) as (keyof T & string)[];

/**
 * Refuses a query parameter the route does not take (`?partnr=windows` would else list everything):
 * 400 naming it, the closest accepted one, and all of them.
 */
export function onlyParams(q: Query, accepted: readonly string[]): void {
  for (const k of Object.keys(q)) {
    if (accepted.includes(k)) continue;
    const near = closest(k, accepted);
    const takes = accepted.length === 0 ? 'this route takes no query parameters' : `this route takes ${accepted.join(', ')}`;
    throw ERR.BAD_QUERY({ subject: k, said: `unknown query parameter${near === undefined ? '' : ` (did you mean "${near}"?)`}; ${takes}` });
  }
}

export const str = (q: Query, k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? q[k] : undefined);

export function int(q: Query, k: string, min = 0): number | undefined {
  const s = str(q, k);
  if (s === undefined) return undefined;
  // Safe integers only: a 20-digit limit would reach SQLite as a REAL ("datatype mismatch", a 500).
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min) throw ERR.BAD_QUERY({ subject: k, expected: `an integer ≥ ${min}`, got: quote(s) });
  return Number(s);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `since` is a record id (only newer ones) or an ISO time (requests received at or after it). */
export function since(q: Query): { sinceId?: number; sinceTime?: string } {
  const s = str(q, 'since');
  if (s === undefined) return {};
  if (/^\d+$/.test(s)) return { sinceId: Number(s) };
  // Date.parse alone takes "foo 2024", "-5" or "1.5" as dates: insist on the ISO 8601 shape first.
  const t = ISO_TIME.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw ERR.BAD_QUERY({ subject: 'since', expected: 'a record id or an ISO date', got: quote(s) });
  return { sinceTime: new Date(t).toISOString() };
}

/** Sessions and findings are filtered by id only: a date here would be silently ignored, so refuse it. */
export function sinceIdOnly(q: Query): number | undefined {
  const s = str(q, 'since');
  if (s !== undefined && !/^\d+$/.test(s)) throw ERR.BAD_QUERY({ subject: 'since', expected: 'a record id', got: quote(s) });
  return s === undefined ? undefined : Number(s);
}

/** Records an admin list returns when no `limit` is given: the oldest page after `since` (a cursor). */
export const DEFAULT_PAGE = 1000;
/** The most an explicit `limit` returns. */
export const MAX_LIMIT = 10_000;

/**
 * How much of a list to read: with `limit=N` the newest N (as before, at most MAX_LIMIT); without
 * it the first DEFAULT_PAGE after `since`, and the answer names the cursor of the next page.
 */
export function paging(q: Query): { limit?: number; first?: number } {
  const limit = int(q, 'limit', 1);
  return limit === undefined ? { first: DEFAULT_PAGE } : { limit: Math.min(limit, MAX_LIMIT) };
}

/** The same filter reading one record more than its page, so cutPage can tell whether a next page exists. */
export const oneMore = <F extends { first?: number }>(f: F): F => (f.first === undefined ? f : { ...f, first: f.first + 1 });

/**
 * Rows read with `first + 1` cut back to `first`: the page, and the cursor of the next one (the
 * last id listed) when the extra row says there is more.
 */
export function cutPage<T>(rows: T[], first: number | undefined, idOf: (row: T) => number): { rows: T[]; next?: number } {
  if (first === undefined || rows.length <= first) return { rows };
  const page = rows.slice(0, first);
  return { rows: page, next: idOf(page[page.length - 1]) };
}

/**
 * A list produced while the answer is written (a page of decoded sessions): `length` known up front,
 * items made one at a time, so an admin answer never holds the whole list.
 */
export class LazyList<T = unknown> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly items: () => Iterable<T>,
  ) {}
  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }
}
