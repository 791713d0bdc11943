// The SQM v2 message finding rules: framing (MS-SQMCS2 2.2.2.1), the TPXS request XML (MS-TPXS 2.1,
// 5.1; MS-SQMCS2 2.2.2) and the binary payload (MS-SQMCS2 2.2.2.11, 3.2.5). One table.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const s2 = inDocument('MS-SQMCS2');
const tpxs = inDocument('MS-TPXS');

/**
 * Every rule the SQM v2 message codec can report. Codes are API. Schema rules (attribute,
 * missing and repeated element) cite the section of the element they hit (`at.specRef`).
 */
export const SQM_V2_MESSAGE_RULES = {
  // framing.ts
  'sqm-v2.framing': s2('error', '2.2.2.1'),
  'sqm-v2.xml-limit': s2('error', '2.2.2.1'),
  // tpxs.ts
  'sqm-v2.doctype': tpxs('error', '5.1'),
  'sqm-v2.xml': s2('error', '3.1.5.1'),
  /** Elements nested deeper than any TPXS request (checked before parsing: a deep document would overflow the parser). */
  'sqm-v2.xml-depth': tpxs('error', '5.1'),
  'sqm-v2.text': tpxs('warning', '5.1'),
  'sqm-v2.element': tpxs('error', '5.1'),
  'sqm-v2.attribute': tpxs('error', '5.1'),
  'sqm-v2.missing-element': tpxs('error', '5.1'),
  'sqm-v2.repeated-element': tpxs('error', '5.1'),
  'sqm-v2.version': tpxs('error', '2.1.1'),
  'sqm-v2.duplicate-key': s2('error', '2.2.2.12'),
  // payload.ts
  'sqm-v2.payload-size': s2('error', '2.2.2.11'),
  'sqm-v2.precompsize': s2('error', '2.2.2.11'),
  'sqm-v2.decompress': s2('error', '3.2.5'),
} as const satisfies Record<string, FindingRuleSpec>;

export type SqmV2MessageRule = keyof typeof SQM_V2_MESSAGE_RULES;

/** Adds a finding for `rule` at its table level and section (`at` for offset and overrides). */
export const report = ruleEmitter<SqmV2MessageRule>(SQM_V2_MESSAGE_RULES).report;
