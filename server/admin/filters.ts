// Query-string filters of the admin API, parsed once, with clear 400s for bad values.

import { ERR, quote } from '../errors';
import { int, since, sinceIdOnly, str, type Query } from '../core/query';
import type { FindingFilter, RequestFilter } from '../store/queries';
import type { FindingLevel } from '../wire/findings';

export type { Query } from '../core/query';

export const requestFilter = (q: Query): RequestFilter => ({
  protocol: str(q, 'protocol'),
  method: str(q, 'method'),
  path: str(q, 'path'),
  status: int(q, 'status', -1),
  ruleName: str(q, 'ruleName'),
  limit: int(q, 'limit', 1),
  ...since(q),
});

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
