// The A-SQM manifest finding rules: stable codes, their level and the MS-SQMCS 2.2.6.x section each
// one cites. One table, like the SQM v1 codec's; some rules cite the section of the field they hit.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS');

/** Every rule the A-SQM manifest codec can report. Codes are API: users filter on them. */
export const ASQM_RULES = {
  /** 2.2.6.1 when the download header is short, 2.2.6.3 when the manifest header is. */
  'asqm.truncated': r('error', '2.2.6.1'),
  'asqm.download-signature': r('info', '2.2.6.1'),
  'asqm.download-length': r('error', '2.2.6.1'),
  'asqm.download-checksum': r('error', '2.2.6.1'),
  'asqm.download-reserved': r('warning', '2.2.6.1'),
  'asqm.signature': r('error', '2.2.6.3'),
  'asqm.version': r('error', '2.2.6.3'),
  'asqm.manifest-length': r('error', '2.2.6.3'),
  'asqm.section-count': r('error', '2.2.6.3'),
  'asqm.trailing-bytes': r('error', '2.2.6.2'),
  'asqm.no-sections': r('warning', '2.2.6.4'),
  'asqm.section-overrun': r('error', '2.2.6.4'),
  'asqm.section-type': r('error', '2.2.6.4'),
  'asqm.rule-length': r('error', '2.2.6.5.1'),
  'asqm.duplicate-rule-id': r('error', '2.2.6.5.1'),
  'asqm.rule-evaluation-flag': r('error', '2.2.6.5.1'),
  'asqm.rule-type': r('error', '2.2.6.5.1'),
  'asqm.rule-action': r('error', '2.2.6.5.1'),
  'asqm.no-clauses': r('warning', '2.2.6.5'),
  'asqm.clause-length': r('error', '2.2.6.5.2'),
  'asqm.evaluation-flag': r('error', '2.2.6.5.2'),
  'asqm.duplicate-evaluation-bit': r('error', '2.2.6.5.2'),
  'asqm.and-clause-limit': r('error', '2.2.6.5.2'),
  'asqm.clause-operator': r('error', '2.2.6.5.2'),
  'asqm.group-operator': r('error', '2.2.6.5.2'),
  'asqm.clause-operand': r('error', '2.2.6.5.2'),
  'asqm.clause-range': r('warning', '2.2.6.5.2'),
  'asqm.property-set-header-length': r('error', '2.2.6.6.1'),
  'asqm.property-set-length': r('error', '2.2.6.6.1'),
  'asqm.property-set-empty': r('warning', '2.2.6.6'),
  'asqm.duplicate-property-set': r('error', '2.2.6.6.1'),
  'asqm.property-length': r('error', '2.2.6.6.2'),
  'asqm.duplicate-property-key': r('error', '2.2.6.6.2'),
  /** Cites the section of the string: 2.2.6.3, 2.2.6.5.2, 2.2.6.6.1 or 2.2.6.6.2. */
  'asqm.string-terminator': r('error', '2.2.6.6.2'),
  'asqm.alignment': r('warning', '2.2.6.6.2'),
  'asqm.padding': r('info', '2.2.6.6.2'),
} as const satisfies Record<string, FindingRuleSpec>;

export type AsqmFindingRule = keyof typeof ASQM_RULES;

/** Adds a finding for `rule` at its table level; `section` overrides the cited MS-SQMCS section. */
export const report = ruleEmitter<AsqmFindingRule>(ASQM_RULES).report;
