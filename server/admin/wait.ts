// Kinds of record GET /__admin/wait can wait for: each a cheap count and the records,
// built from the query's filters. The count runs after every commit; records only once enough.

import type { MockContext } from '../context';
import { cerReportFilter, findingFilter, requestFilter, sessionFilter, type Query } from './filters';
import { cerReportsJson } from './present-cer';
import { sessionsJson } from './present-sqm';

export type WaitKind = 'request' | 'sqm-session' | 'cer-report' | 'violation';

export interface WaitCheck {
  count(): number;
  records(): unknown[];
}

export function waitKinds(ctx: MockContext): Record<string, (q: Query) => WaitCheck> {
  const q = ctx.store.queries;
  return {
    request: (query) => {
      const f = requestFilter(query);
      return { count: () => q.countRequests(f), records: () => q.requests(f) };
    },
    'sqm-session': (query) => {
      const f = sessionFilter(query);
      return { count: () => q.countSessions(f), records: () => sessionsJson(ctx, f) };
    },
    'cer-report': (query) => {
      const f = cerReportFilter(query);
      return { count: () => ctx.store.cer.countReports(f), records: () => cerReportsJson(ctx, f) };
    },
    violation: (query) => {
      const f = findingFilter(query);
      return { count: () => q.countFindings(f), records: () => q.findings(f) };
    },
  };
}
