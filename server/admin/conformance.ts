// GET /__admin/conformance (INTERFACE.md section 5): every client key seen, with its conversation
// violations and unmet expectations, and a summary; `?format=junit` gives the same as JUnit XML,
// one testsuite per protocol and one testcase per rule checked per client.

import type { MockContext } from '../context';
import type { OpenModule } from '../core/module';
import type { FindingRow } from '../store';

export interface ConformanceEntry {
  requestId: number;
  protocol: string;
  level: string;
  rule: string;
  specRef: string;
  message: string;
  kind: string;
  relatedRequestId: number | null;
  clientKey: string | null;
}

export interface ConformanceClient {
  clientKey: string;
  protocol: string;
  requests: number;
  violations: ConformanceEntry[];
  expectations: ConformanceEntry[];
}

export interface ConformanceReport {
  clients: ConformanceClient[];
  summary: { checked: number; violations: number; requestFindings: number; unmetExpectations: number };
  /** The conversation rules checked, by protocol (the JUnit test cases per client). */
  rules: Record<string, readonly string[]>;
}

/** Unmet expectations of every module (their `violations` hook), as entries. */
function expectations(ctx: MockContext, modules: readonly OpenModule[]): ConformanceEntry[] {
  return modules.flatMap(({ module, state }) => (module.admin?.violations?.({}, state, ctx) ?? []) as ConformanceEntry[]);
}

export function conformanceReport(ctx: MockContext, modules: readonly OpenModule[]): ConformanceReport {
  const q = ctx.store.queries;
  const rules: Record<string, readonly string[]> = {};
  for (const { module } of modules) for (const [protocol, list] of Object.entries(module.conversationRules ?? {})) rules[protocol] = [...(rules[protocol] ?? []), ...list];
  const conversation = q.findings({ kind: 'conversation' });
  const unmet = expectations(ctx, modules);
  const clients = q.clients().map((c) => ({
    ...c,
    violations: conversation.filter((f) => f.clientKey === c.clientKey).map(entry),
    expectations: unmet.filter((e) => e.clientKey === c.clientKey),
  }));
  const checked = clients.reduce((n, c) => n + (rules[c.protocol]?.length ?? 0), 0);
  const violations = clients.reduce((n, c) => n + c.violations.length, 0);
  const unmetExpectations = clients.reduce((n, c) => n + c.expectations.length, 0);
  return { clients, summary: { checked, violations, requestFindings: q.countFindings({ kind: 'request' }), unmetExpectations }, rules };
}

const entry = (f: FindingRow): ConformanceEntry => ({
  requestId: f.requestId,
  protocol: f.protocol,
  level: f.level,
  rule: f.rule,
  specRef: f.specRef,
  message: f.message,
  kind: f.kind,
  relatedRequestId: f.relatedRequestId,
  clientKey: f.clientKey,
});
