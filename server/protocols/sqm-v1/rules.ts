// The SQM v1 handler's finding rules (MS-SQMCS 2.2.1, 2.2.2, 3.1.5.2): method, partner and size,
// checked before the session is decoded. The session codec has its own table (codecs/sqm-session).

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS');

/** Every rule route.ts reports beside the session codec's. Codes are API. */
export const SQM_V1_ROUTE_RULES = {
  'sqm-v1.method': r('error', '2.2.2'),
  'sqm-v1.unknown-partner': r('error', '2.2.1'),
  /** The partner's upload length (3.1.5.2: "enforced for any SQM upload"). */
  'sqm-v1.size-limit': r('error', '3.1.5.2'),
  // Conversation rules (INTERFACE.md section 5): what an earlier answer told this client.
  /** 201 ThrottleInterval: "SHOULD NOT send any data … for the period". */
  'sqm-v1.throttle-ignored': r('warning', '3.1.5.2.2'),
  /** 403: "SHOULD NOT send any data … for a period of 14 days". */
  'sqm-v1.fixed-throttle-ignored': r('warning', '3.1.5.2.3'),
  /** 200: "the upload is complete and no additional action is necessary" — so not again. */
  'sqm-v1.resent': r('warning', '3.1.5.2.1'),
  /** An announced ManifestVersion that differs from the client's: it SHOULD download it. */
  'sqm-v1.manifest-not-fetched': r('info', '3.1.5.3'),
} as const satisfies Record<string, FindingRuleSpec>;

export type SqmV1RouteRule = keyof typeof SQM_V1_ROUTE_RULES;

/**
 * The finding as a value (the handler adds `protocol`).
 *
 * @example
 * findingFor('sqm-v1.method', `sessions are uploaded with POST, got ${req.method}`)
 */
export const findingFor = ruleEmitter<SqmV1RouteRule>(SQM_V1_ROUTE_RULES).findingFor;
