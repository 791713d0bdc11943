// Query-string filters of the admin API, parsed once, with clear 400s for bad values.

import { ERR, quote } from '../errors';
import { int, paging, paramNames, since, sinceIdOnly, str, type Query } from '../core/query';
import type { FindingFilter, RequestFilter } from '../store/queries';
import type { FindingLevel } from '../wire/findings';

export type { Query } from '../core/query';

/** What GET /__admin/requests (and a wait for `request`) filters by: each given key must match. */
export type RequestQuery = {
  /** A protocol name (INTERFACE.md section 3), or `unknown`. */
  protocol?: string;
  method?: string;
  /** The request target as received. */
  path?: string;
  /** The answer's status (-1: no answer, a fault). */
  status?: number;
  /** The rule that answered. */
  ruleName?: string;
  /** The newest N (at most 10000); without it, every page. */
  limit?: number;
  /** Only records after this id, or received at or after this ISO time. */
  since?: number | string;
};
export const REQUEST_PARAMS = paramNames<RequestQuery>({ protocol: true, method: true, path: true, status: true, ruleName: true, limit: true, since: true });

export const requestFilter = (q: Query): RequestFilter => ({
  protocol: str(q, 'protocol'),
  method: str(q, 'method'),
  path: str(q, 'path'),
  status: int(q, 'status', -1),
  ruleName: str(q, 'ruleName'),
  ...paging(q),
  ...since(q),
});

const LEVELS: FindingLevel[] = ['error', 'warning', 'info'];

/** Levels a finding filter takes; `expectation` selects unmet expectations (INTERFACE.md section 5). */
const FILTER_LEVELS = [...LEVELS, 'expectation'] as const;
const KINDS = ['request', 'conversation', 'expectation'] as const;

/** What GET /__admin/violations filters by (and a wait for `violation`, but for `kind`, which names the wait's kind there). */
export type ViolationQuery = {
  requestId?: number;
  protocol?: string;
  rule?: string;
  /** `error`, `warning`, `info`, `expectation`, a comma-separated list of them, or `all` (the finding levels); default error,warning. */
  level?: string;
  kind?: 'request' | 'conversation' | 'expectation';
  clientKey?: string;
  limit?: number;
  /** Only findings after this id. */
  since?: number;
};
export const VIOLATION_PARAMS = paramNames<ViolationQuery>({ requestId: true, protocol: true, rule: true, level: true, kind: true, clientKey: true, limit: true, since: true });
/** A wait for violations takes the same filters but `kind` (the wait's own parameter). */
export const FINDING_WAIT_PARAMS = VIOLATION_PARAMS.filter((p) => p !== 'kind');

/** What GET /__admin/violations lists: findings (unless only expectations were asked for) and, when asked, unmet expectations. */
export interface ViolationFilter extends FindingFilter {
  findings: boolean;
  expectations: boolean;
}

const levelsOf = (q: Query): string[] | undefined => {
  const level = str(q, 'level');
  // `all` is every finding level; unmet expectations are listed when asked for by name (level=expectation or kind=expectation).
  const levels = level === undefined ? undefined : level === 'all' ? [...LEVELS] : level.split(',');
  const bad = levels?.find((l) => !(FILTER_LEVELS as readonly string[]).includes(l));
  if (bad !== undefined) throw ERR.BAD_QUERY({ subject: 'level', expected: 'error, warning, info, expectation or all', got: quote(bad) });
  return levels;
};

const kindOf = (q: Query): string | undefined => {
  const kind = str(q, 'kind');
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind))
    throw ERR.BAD_QUERY({ subject: 'kind', expected: 'request, conversation or expectation', got: quote(kind) });
  return kind;
};

export function findingFilter(q: Query): FindingFilter {
  const kind = kindOf(q);
  return {
    requestId: int(q, 'requestId', 1),
    protocol: str(q, 'protocol'),
    rule: str(q, 'rule'),
    levels: levelsOf(q)?.filter((l): l is FindingLevel => l !== 'expectation'),
    kind: kind === 'request' || kind === 'conversation' ? kind : undefined,
    clientKey: str(q, 'clientKey'),
    ...paging(q),
    sinceId: sinceIdOnly(q),
  };
}

export function violationFilter(q: Query): ViolationFilter {
  const f = findingFilter(q);
  const kind = kindOf(q);
  return {
    ...f,
    findings: kind !== 'expectation' && (f.levels === undefined || f.levels.length > 0),
    expectations: kind === 'expectation' || (levelsOf(q)?.includes('expectation') ?? false),
  };
}
