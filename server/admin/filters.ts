// Query-string filters of the admin API, parsed once, with clear 400s for bad values.

import { ERR, quote } from '../errors';
import type { CerReportFilter } from '../store/cer-queries';
import type { FindingFilter, RequestFilter, SessionFilter } from '../store/queries';
import type { FindingLevel } from '../wire/findings';

export type Query = Record<string, unknown>;

const str = (q: Query, k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);

export function int(q: Query, k: string, min = 0): number | undefined {
  const s = str(q, k);
  if (s === undefined) return undefined;
  // Safe integers only: a 20-digit limit would reach SQLite as a REAL ("datatype mismatch", a 500).
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min) throw ERR.BAD_QUERY({ subject: k, expected: `an integer ≥ ${min}`, got: quote(s) });
  return Number(s);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `since` is a record id (only newer ones) or an ISO time (requests received at or after it). */
function since(q: Query): { sinceId?: number; sinceTime?: string } {
  const s = str(q, 'since');
  if (s === undefined) return {};
  if (/^\d+$/.test(s)) return { sinceId: Number(s) };
  // Date.parse alone takes "foo 2024", "-5" or "1.5" as dates: insist on the ISO 8601 shape first.
  const t = ISO_TIME.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw ERR.BAD_QUERY({ subject: 'since', expected: 'a record id or an ISO date', got: quote(s) });
  return { sinceTime: new Date(t).toISOString() };
}

/** Sessions and findings are filtered by id only: a date here would be silently ignored, so refuse it. */
function sinceIdOnly(q: Query): number | undefined {
  const s = str(q, 'since');
  if (s !== undefined && !/^\d+$/.test(s)) throw ERR.BAD_QUERY({ subject: 'since', expected: 'a record id', got: quote(s) });
  return s === undefined ? undefined : Number(s);
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
  if (p !== undefined && protocol === undefined) throw ERR.BAD_QUERY({ subject: 'protocol', expected: '1, 2, sqm-v1 or sqm-v2', got: quote(p) });
  const sinceId = sinceIdOnly(q);
  return { partner: str(q, 'partner'), mid: normalizeMid(str(q, 'mid')), protocol, requestId: int(q, 'requestId', 1), limit: int(q, 'limit', 1), sinceId };
}

const normalizeMid = (m: string | undefined): string | undefined =>
  m === undefined ? undefined : `{${m.replace(/[{}]/g, '').toUpperCase()}}`;

const LEVELS: FindingLevel[] = ['error', 'warning', 'info'];

export function findingFilter(q: Query): FindingFilter {
  const level = str(q, 'level');
  let levels: FindingLevel[] | undefined;
  if (level === 'all') levels = [...LEVELS];
  else if (level !== undefined) {
    levels = level.split(',') as FindingLevel[];
    const bad = levels.find((l) => !LEVELS.includes(l));
    if (bad !== undefined) throw ERR.BAD_QUERY({ subject: 'level', expected: 'error, warning, info or all', got: quote(bad) });
  }
  const sinceId = sinceIdOnly(q);
  return { requestId: int(q, 'requestId', 1), protocol: str(q, 'protocol'), rule: str(q, 'rule'), levels, limit: int(q, 'limit', 1), sinceId };
}

export function cerReportFilter(q: Query): CerReportFilter {
  const { sinceId } = since(q);
  return { eventType: str(q, 'eventType'), bucket: int(q, 'bucket', 0), requestId: int(q, 'requestId', 1), limit: int(q, 'limit', 1), sinceId };
}
