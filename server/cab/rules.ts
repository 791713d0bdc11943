// The cabinet reader's finding rules ([MS-CAB] CFHEADER, CFFOLDER, CFFILE, CFDATA; MSZIP blocks).
// [MS-CAB] names its structures rather than numbered sections, so specRefs cite the structure.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../wire/rule-table';

const r = inDocument('MS-CAB');

/**
 * Every rule the cabinet reader can report. Codes are API. Most rules cite the structure they
 * were found in (`at.section`: CFHEADER, CFFOLDER, CFFILE, CFDATA or MSZIP).
 */
export const CAB_RULES = {
  'cab.signature': r('error', 'CFHEADER'),
  /** Any structure that runs past the end of the buffer. */
  'cab.truncated': r('error', 'CFHEADER'),
  /** `warning` for a version other than 1.3 and a cbCabinet smaller than the buffer. */
  'cab.header': r('error', 'CFHEADER'),
  'cab.multi-cabinet': r('error', 'CFHEADER'),
  'cab.no-files': r('error', 'CFHEADER'),
  'cab.compression-unsupported': r('error', 'CFFOLDER'),
  'cab.limit-exceeded': r('error', 'CFFILE'),
  'cab.file-size': r('error', 'CFFILE'),
  'cab.block-size': r('error', 'CFDATA'),
  'cab.checksum': r('warning', 'CFDATA'),
  'cab.mszip-signature': r('error', 'MSZIP'),
  'cab.inflate': r('error', 'MSZIP'),
} as const satisfies Record<string, FindingRuleSpec>;

export type CabRule = keyof typeof CAB_RULES;

/** Adds a finding for `rule` at its table level and structure (`at` for offset and overrides). */
export const report = ruleEmitter<CabRule>(CAB_RULES).report;
