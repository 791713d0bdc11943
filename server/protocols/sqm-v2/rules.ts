// The SQM v2 protocol finding rules (MS-SQMCS2 2.2.2, 3.2.5): required args, partners, commands,
// tokens and slices of the server role. Message decoding has its own table (codecs/sqm-v2-message).

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS2');

/** Every rule the SQM v2 server role reports beside the message codec's. Codes are API. */
export const SQM_V2_RULES = {
  /** required.ts; cites the section of the element that lacks the arg (REQUIRED_ARGS). */
  'sqm-v2.missing-arg': r('warning', '2.2.2'),
  // handle.ts
  'sqm-v2.unknown-partner': r('error', '2.2.2.13.2'),
  'sqm-v2.unknown-command': r('error', '2.2.2.16'),
  // upload.ts
  'sqm-v2.token': r('warning', '2.2.2.16.2'),
  'sqm-v2.slice': r('error', '3.2.5.2'),
} as const satisfies Record<string, FindingRuleSpec>;

export type SqmV2Rule = keyof typeof SQM_V2_RULES;

const emit = ruleEmitter<SqmV2Rule>(SQM_V2_RULES);

/**
 * The finding as a value (the handlers add `protocol` and push it).
 *
 * @example
 * w.findings.push({ ...findingFor('sqm-v2.slice', `<req key="${r.key}">: ${slice.message}`), protocol: 'sqm-v2' });
 */
export const findingFor = emit.findingFor;
