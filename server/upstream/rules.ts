// The findings of a forwarded request whose upstream answer broke (CEIP redirect, SQM relay): cut
// short (RFC 9112 8), over the answer limit (RFC 9110 15.6.3: 502) or too slow (15.6.5: 504).

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../wire/rule-table';

const http = inDocument('RFC 9110');
const messaging = inDocument('RFC 9112');

/** Every rule the upstream leg reports. Codes are API: the store and users filter on them. */
export const UPSTREAM_RULES = {
  /** The connection ended before Content-Length was met or the last chunk came (or broke mid-answer): 502. */
  'upstream.answer-truncated': messaging('error', '8'),
  /** The answer body is (or declares) more than --upstream-answer-limit: 502. */
  'upstream.answer-too-large': http('warning', '15.6.3'),
  /** No complete answer within --upstream-timeout-ms, or silence for --upstream-idle-ms: 504. */
  'upstream.timeout': http('warning', '15.6.5'),
} as const satisfies Record<string, FindingRuleSpec>;

export type UpstreamRule = keyof typeof UPSTREAM_RULES;

/**
 * The finding as a value (the caller adds `protocol`).
 *
 * @example
 * findingFor('upstream.timeout', 'the answer from b:80 was not complete in 30000 ms (no answer yet)')
 */
export const findingFor = ruleEmitter<UpstreamRule>(UPSTREAM_RULES).findingFor;
