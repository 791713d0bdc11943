// What the client of a forwarded request (CEIP redirect, SQM relay) gets from the upstream's answer:
// the answer itself when it came whole, else 502 (unreachable, cut short, too large) or 504 (too
// slow) with a one-line reason, and a finding for a broken answer. The answer is buffered whole
// (up to --upstream-answer-limit) before anything is sent, so a broken one never reaches the client.

import type { MockContext } from '../context';
import { textAnswer, type Answer } from '../core/types';
import type { FindingRecord } from '../store';
import { passHeaders, type ForwardRequest, type ForwardResult } from './forward';
import { findingFor, type UpstreamRule } from './rules';

/** The limits and trust of every forward: --upstream-ca, --upstream-timeout-ms, --upstream-idle-ms, --upstream-answer-limit. */
export const forwardSettings = (ctx: MockContext): Pick<ForwardRequest, 'ca' | 'timeoutMs' | 'idleMs' | 'maxBody'> => ({
  ca: ctx.upstreamCa,
  timeoutMs: ctx.config.upstreamTimeoutMs,
  idleMs: ctx.config.upstreamIdleMs,
  maxBody: ctx.config.upstreamAnswerLimit,
});

const BROKEN: Partial<Record<ForwardResult['outcome'], { rule: UpstreamRule; status: number }>> = {
  truncated: { rule: 'upstream.answer-truncated', status: 502 },
  'too-large': { rule: 'upstream.answer-too-large', status: 502 },
  timeout: { rule: 'upstream.timeout', status: 504 },
};

/**
 * The client's answer for `res`, the upstream leg's result, and the finding that says why it is not the upstream's.
 *
 * @example
 * upstreamAnswer('relay', 'http://b/sqm/x', res) // truncated → 502 `upstream.answer-truncated: http://b/sqm/x: …`
 */
export function upstreamAnswer(protocol: 'relay' | 'ceip', target: string, res: ForwardResult): { answer: Answer; findings: FindingRecord[] } {
  if (res.outcome === 'answered') return { answer: { status: res.status!, headers: passHeaders(res.headers), body: res.body }, findings: [] };
  const broken = BROKEN[res.outcome];
  if (!broken) return { answer: textAnswer(502, `${protocol}.upstream: ${target} could not be reached (${res.error})`), findings: [] };
  const answered = res.status === null ? 'no answer' : `answered ${res.status}`;
  const finding: FindingRecord = { ...findingFor(broken.rule, `${target} (${answered}): ${res.error}`), protocol };
  return { answer: textAnswer(broken.status, `${broken.rule}: ${target}: ${res.error}`), findings: [finding] };
}
