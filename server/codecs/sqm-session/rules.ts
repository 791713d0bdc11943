// The SQM v1 finding rules: stable codes, their level and the MS-SQMCS section each one cites
// (2.2.4 for the format, 3.2.5.2/3.2.5.3 for server-side processing). One table, like fastify's errors.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS');

/** Every rule the SQM v1 codec can report. Codes are API: the store and users filter on them. */
export const SQM_V1_RULES = {
  'sqm-v1.truncated': r('error', '2.2.4.1'),
  'sqm-v1.signature': r('error', '2.2.4.1'),
  'sqm-v1.header-length': r('error', '2.2.4.1'),
  'sqm-v1.reserved': r('warning', '2.2.4.1'),
  /** Flags bits the document reserves or does not list (note <3>), with their Windows Embedded Compact names. */
  'sqm-v1.flags': r('info', '2.2.4.1'),
  /** Info, not a warning: a reserved InternalFlags bit real Windows clients set (bit 1: the MS-SQMCS 4.1 capture). */
  'sqm-v1.internal-flags': r('info', '2.2.4.1'),
  /** A reserved InternalFlags bit ("MUST be specified as 0") that no known client sets. */
  'sqm-v1.internal-flags-reserved': r('warning', '2.2.4.1'),
  'sqm-v1.raw-fields-uncompressed': r('info', '2.2.4.1'),
  /** 3.2.5.3 when uncompressed, 3.2.5.2 when compressed. */
  'sqm-v1.data-length': r('error', '3.2.5.3'),
  'sqm-v1.data-checksum': r('error', '3.2.5.3'),
  'sqm-v1.raw-data-length': r('error', '3.2.5.2'),
  'sqm-v1.raw-data-checksum': r('error', '3.2.5.2'),
  'sqm-v1.compression-unavailable': r('error', '3.2.5.2'),
  'sqm-v1.decompress-failed': r('error', '3.2.5.2'),
  'sqm-v1.section-overrun': r('error', '2.2.4.3'),
  'sqm-v1.section-count': r('error', '2.2.4.1'),
  'sqm-v1.trailing-bytes': r('error', '2.2.4.3'),
  'sqm-v1.section-type': r('info', '2.2.4.3'),
  'sqm-v1.dword-length': r('error', '2.2.4.4.1.1'),
  'sqm-v1.qword-length': r('error', '2.2.4.4.1.2'),
  'sqm-v1.string-length': r('error', '2.2.4.4.1.3'),
  /** 2.2.4.4.2.3.3 when the STRING records of a stream use the Windows layout. */
  'sqm-v1.string-layout': r('info', '2.2.4.4.1.3'),
  'sqm-v1.stream-header': r('error', '2.2.4.4.2.1'),
  'sqm-v1.stream-counts': r('info', '2.2.4.4.2.1'),
  'sqm-v1.stream-entry': r('error', '2.2.4.4.2.2'),
  /** The mock's own bound on decoding work (sections per session, entries per section): a warning, never a refusal. */
  'sqm-v1.decode-limit': r('warning', '2.2.4.3'),
} as const satisfies Record<string, FindingRuleSpec>;

export type SqmV1Rule = keyof typeof SQM_V1_RULES;

/** Adds a finding for `rule` at its table level; `section` overrides the cited MS-SQMCS section. */
export const report = ruleEmitter<SqmV1Rule>(SQM_V1_RULES).report;
