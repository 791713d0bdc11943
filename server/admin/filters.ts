// Query-string filters of the admin API, parsed once, with clear 400s for bad values.

import { MockError } from '../errors';
import type { FindingFilter, RequestFilter, SessionFilter } from '../store/queries';
import type { FindingLevel } from '../wire/findings';

export type Query = Record<string, unknown>;

const str = (q: Query, k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);

export function int(q: Query, k: string, min = 0): number | undefined {
  const s = str(q, k);
  if (s === undefined) return undefined;
  // Safe integers only: a 20-digit limit would reach SQLite as a REAL ("datatype mismatch", a 500).
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min) throw new MockError('BAD_QUERY', `${k}: expected an integer ≥ ${min}, got "${s}"`);
  return Number(s);
}

/** `since` is a record id (only newer ones) or an ISO time (requests received at or after it). */
function since(q: Query): { sinceId?: number; sinceTime?: string } {
  const s = str(q, 'since');
  if (s === undefined) return {};
  if (/^\d+$/.test(s)) return { sinceId: Number(s) };
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new MockError('BAD_QUERY', `since: expected a record id or an ISO date, got "${s}"`);
  return { sinceTime: new Date(t).toISOString() };
}

export const requestFilter = (q: Query): RequestFilter => ({
  protocol: str(q, 'protocol'),
  method: str(q, 'method'),
  path: str(q, 'path'),
  status: int(q, 'status', -1),
  ruleName: str(q, 'ruleName'),
  limit: int(q, 'limit', 1),
  ...since(q),
});

const SESSION_PROTOCOLS: Record<string, number> = { '1': 1, '2': 2, 'sqm-v1': 1, 'sqm-v2': 2 };

export function sessionFilter(q: Query): SessionFilter {
  const p = str(q, 'protocol');
  // Own keys only: `protocol=constructor` must not pick up Object's members.
  const protocol = p !== undefined && Object.prototype.hasOwnProperty.call(SESSION_PROTOCOLS, p) ? SESSION_PROTOCOLS[p] : undefined;
  if (p !== undefined && protocol === undefined) throw new MockError('BAD_QUERY', `protocol: expected 1, 2, sqm-v1 or sqm-v2, got "${p}"`);
  const { sinceId } = since(q);
  return { partner: str(q, 'partner'), mid: normalizeMid(str(q, 'mid')), protocol, requestId: int(q, 'requestId', 1), limit: int(q, 'limit', 1), sinceId };
}

const normalizeMid = (m: string | undefined): string | undefined =>
  m === undefined ? undefined : `{${m.replace(/[{}]/g, '').toUpperCase()}}`;

const LEVELS: FindingLevel[] = ['error', 'warning', 'info'];

export function findingFilter(q: Query): FindingFilter {
  const level = str(q, 'level');
  let levels: FindingLevel[] | undefined;
  if (level === 'all') levels = LEVELS;
  else if (level !== undefined) {
    levels = level.split(',') as FindingLevel[];
    const bad = levels.find((l) => !LEVELS.includes(l));
    if (bad !== undefined) throw new MockError('BAD_QUERY', `level: expected error, warning, info or all, got "${bad}"`);
  }
  const { sinceId } = since(q);
  return { requestId: int(q, 'requestId', 1), protocol: str(q, 'protocol'), rule: str(q, 'rule'), levels, limit: int(q, 'limit', 1), sinceId };
}
