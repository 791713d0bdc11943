// CER's conversation glue: after a level-1 or level-2 handler answered, what the answer sets up for
// the client (its remote address) and what the request meets or breaks (checks.ts), read from the
// outcome's own rows so the handlers stay about one request.

import { meetRow, type ConversationState } from '../../conversation';
import type { MockContext } from '../../context';
import type { Outcome, WireRequest } from '../../core/types';
import type { CaptureRow } from '../../store';
import { judgeContents, judgeUnissued, judgeUnrequested, setupOfChallenge, setupsOfLevel1, type CerFacts } from './checks';
import type { CerState } from './state';

const rowOf = (o: Outcome, stmt: string): CaptureRow | undefined => o.rows?.find((r) => r.stmt === stmt);

/** The client of a CER request: nothing but its address identifies it (INTERFACE.md section 5). */
export const cerClientKey = (req: WireRequest): string => req.remoteAddress ?? 'unknown';

/** What a 401 asked for: the schemes offered, or (one header with a token) an NTLM CHALLENGE_MESSAGE to answer. */
const challengeLabel = (offered: string | string[]): string =>
  Array.isArray(offered)
    ? offered.map((x) => x.split(' ')[0]).join(', ')
    : /^(NTLM|Negotiate) \S/.test(offered)
      ? `${offered.split(' ')[0]} CHALLENGE_MESSAGE (type 2)`
      : offered.split(' ')[0];

/** Rows and findings the conversation adds to a CER outcome (level 1 or level 2). */
export function withConversation(req: WireRequest, ctx: MockContext, s: { store: CerState; conversation: ConversationState }, o: Outcome): Outcome {
  const f: CerFacts = { clientKey: cerClientKey(req), nowMs: ctx.clock.nowMs() };
  const rows = [...(o.rows ?? [])];
  const findings = [...(o.findings ?? [])];
  // Any request that authenticates is the next leg of every challenge still open for this client.
  if (req.headers.authorization) rows.push(...s.conversation.setups({ kind: 'auth', clientKey: f.clientKey, unmet: true }).map((x) => meetRow(x.id)));
  const offered = o.answer.status === 401 ? o.answer.headers['www-authenticate'] : undefined;
  if (offered !== undefined) rows.push(setupOfChallenge(f, challengeLabel(offered)));
  const report = rowOf(o, 'cer:report');
  if (report) {
    const p = report.params as Record<string, string | null>;
    const instructions = JSON.parse(p.instructions ?? '{}') as { iData?: number };
    rows.push(...setupsOfLevel1(f, { iData: instructions.iData, dumpFile: p.dumpFile, dumpKey: p.dumpKey }));
  }
  const level2 = rowOf(o, 'cer:level2');
  const stored = level2 ? s.store.report(Number(level2.params.reportId)) : undefined;
  if (stored && level2) {
    findings.push(...judgeUnrequested(f, stored), ...judgeContents(f, stored, JSON.parse(String(level2.params.files)) as { name: string }[]));
    rows.push(...s.conversation.setups({ kind: 'report', unmet: true, ref: stored.dumpKey ?? '' }).map((x) => meetRow(x.id)));
  }
  if (o.findings?.some((x) => x.rule === 'cer-level2.unknown-path' || x.rule === 'cer-level2.path')) {
    findings.push(...judgeUnissued(f, req.url, s.conversation.setups({ kind: 'report', clientKey: f.clientKey, match: { iData: 0 } })));
  }
  return { ...o, clientKey: f.clientKey, rows, findings };
}
