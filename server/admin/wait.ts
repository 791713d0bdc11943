// Kinds of record GET /__admin/wait can wait for: the core's (requests, violations) and every
// module's (its admin part's waitKinds), each a cheap count and the records, built from the
// query's filters. The count runs after every commit; records only once enough.

import type { MockContext } from '../context';
import { ERR } from '../errors';
import type { OpenModule } from '../core/module';
import type { Request, Response } from 'express';
import { int, onlyParams, type LazyList } from '../core/query';
import { FINDING_WAIT_PARAMS, findingFilter, REQUEST_PARAMS, requestFilter, type Query } from './filters';
import { sendError } from './json';
import { sendJsonStream } from './json-stream';

/** The longest GET /__admin/wait may wait (ms). */
export const MAX_WAIT_MS = 10 * 60_000;

export interface WaitCheck {
  count(): number;
  records(): unknown[] | LazyList;
}

/** The parameters of the wait itself; each kind adds its filters. */
const WAIT_PARAMS = ['kind', 'count', 'timeoutMs'];

interface WaitSpec {
  params: readonly string[];
  check: (q: Query) => WaitCheck;
}

export function waitKinds(ctx: MockContext, modules: readonly OpenModule[]): Record<string, WaitSpec> {
  const q = ctx.store.queries;
  const kinds: Record<string, WaitSpec> = {
    request: {
      params: REQUEST_PARAMS,
      check: (query) => {
        const f = requestFilter(query);
        return { count: () => q.countRequests(f), records: () => q.requests(f) };
      },
    },
  };
  for (const { module, state } of modules) {
    for (const [name, kind] of Object.entries(module.admin?.waitKinds ?? {})) {
      kinds[name] = { params: module.admin?.waitParams?.[name] ?? [], check: (query) => kind(query, state, ctx) };
    }
  }
  kinds.violation = {
    params: FINDING_WAIT_PARAMS,
    check: (query) => {
      // `kind` is the wait's (kind=violation), not the finding kind filter of GET /__admin/violations.
      const f = findingFilter({ ...query, kind: undefined });
      return { count: () => q.countFindings(f), records: () => q.findings(f) };
    },
  };
  return kinds;
}

/** GET /__admin/wait: answers as soon as `count` records of `kind` match, with them; 408 after timeoutMs. */
export function waitHandler(ctx: MockContext, modules: readonly OpenModule[]) {
  const kinds = waitKinds(ctx, modules);
  return async (req: Request, res: Response): Promise<void> => {
    const query = req.query as Query;
    const kind = typeof query.kind === 'string' ? query.kind : '';
    const spec = Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
    if (!spec) return sendError(res, 400, 'BAD_QUERY', `kind: expected one of ${Object.keys(kinds).join(', ')}, got "${kind}"`);
    onlyParams(query, [...WAIT_PARAMS, ...spec.params]);
    const count = int(query, 'count', 1) ?? 1;
    const timeoutMs = int(query, 'timeoutMs', 0) ?? 5000;
    // Over the maximum is a mistake (a wait in seconds?): say so, never cut it silently.
    if (timeoutMs > MAX_WAIT_MS) throw ERR.BAD_QUERY({ subject: 'timeoutMs', expected: `at most ${MAX_WAIT_MS} (10 minutes, the longest wait)`, got: String(timeoutMs) });
    const check = spec.check(query);
    const records = await ctx.store.waiters.wait(() => (check.count() >= count ? check.records() : null), timeoutMs);
    if (records) return sendJsonStream(res, 200, { kind, count: records.length, records });
    sendError(res, 408, 'WAIT_TIMEOUT', `fewer than ${count} ${kind} records after ${timeoutMs} ms (have ${check.count()})`);
  };
}
