// The CEIP redirect finding rules (MS-CCEIP 2.2, 3.1.3, 3.1.7): method, Partner query string and
// data sent again after a success. One table; route.ts emits them.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-CCEIP');

/** Every rule the CEIP redirect reports. Codes are API: the store and users filter on them. */
export const CEIP_RULES = {
  'ceip.method': r('error', '2.2'),
  /** The Partner query string (2.2.1) is missing or invalid: the server fails the request (3.1.3). */
  'ceip.partner': r('error', '3.1.3'),
  'ceip.resent': r('warning', '3.1.7'),
} as const satisfies Record<string, FindingRuleSpec>;

export type CeipRule = keyof typeof CEIP_RULES;

/**
 * The finding as a value (the handler adds `protocol`).
 *
 * @example
 * findingFor('ceip.partner', parsed.reason)
 */
export const findingFor = ruleEmitter<CeipRule>(CEIP_RULES).findingFor;
