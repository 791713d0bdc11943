// Kinds of record GET /__admin/wait can wait for: the core's (requests, violations) and every
// module's (its admin part's waitKinds), each a cheap count and the records, built from the
// query's filters. The count runs after every commit; records only once enough.

import type { MockContext } from '../context';
import type { OpenModule } from '../core/module';
import { findingFilter, requestFilter, type Query } from './filters';

export interface WaitCheck {
  count(): number;
  records(): unknown[];
}

export function waitKinds(ctx: MockContext, modules: readonly OpenModule[]): Record<string, (q: Query) => WaitCheck> {
  const q = ctx.store.queries;
  const kinds: Record<string, (q: Query) => WaitCheck> = {
    request: (query) => {
      const f = requestFilter(query);
      return { count: () => q.countRequests(f), records: () => q.requests(f) };
    },
  };
  for (const { module, state } of modules) {
    for (const [name, kind] of Object.entries(module.admin?.waitKinds ?? {})) kinds[name] = (query) => kind(query, state, ctx);
  }
  kinds.violation = (query) => {
    const f = findingFilter(query);
    return { count: () => q.countFindings(f), records: () => q.findings(f) };
  };
  return kinds;
}
