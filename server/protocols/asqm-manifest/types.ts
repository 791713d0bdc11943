// Typed values of an A-SQM manifest package (MS-SQMCS 2.2.6): the download header (2.2.6.1), the
// manifest header (2.2.6.3), sections (2.2.6.4), escalation rules (2.2.6.5) and property sets (2.2.6.6).
// Optional fields are the wire's own bookkeeping: absent = computed on encoding, present = written as is.

import type { Finding } from '../../wire/findings';

/** Manifest Signature (MS-SQMCS note <6>); also our download header Signature (decision (a)). */
export const ASQM_SIGNATURE = 0x414d5153;
export const DOWNLOAD_HEADER_LENGTH = 16; // 2.2.6.1: four DWORDs
export const MANIFEST_HEADER_LENGTH = 152; // 2.2.6.3: 4 DWORDs, a FILETIME, 128-byte PartnerName
export const PARTNER_NAME_BYTES = 128;
export const SECTION_HEADER_LENGTH = 8; // 2.2.6.4: SectionLength, SectionType
export const RULE_HEADER_LENGTH = 32; // 2.2.6.5.1: six DWORDs and a FILETIME
export const CLAUSE_FIXED_LENGTH = 24; // 2.2.6.5.2: six DWORDs, then the operand (decision (b))
export const PROPERTY_SET_FIXED_LENGTH = 12; // 2.2.6.6.1: HeaderLength - 0xC is the name's length
export const PROPERTY_FIXED_LENGTH = 8; // 2.2.6.6.2: 0x8 + PropertyKeyLength + PropertyValueLength
export const MAX_AND_CLAUSES = 32; // 2.2.6.5.2

/** Version values reserved by 2.2.6.3. */
export const RESERVED_VERSIONS: readonly number[] = [0x0, 0x00ffffff];

export const SECTION_RULE = 0x1;
export const SECTION_PROPERTY_SET = 0x2;

export const RULE_TYPES = { callback: 0x1, report: 0x2 } as const;
export const RULE_ACTIONS = { callback: 0x1, werMiniDump: 0x2, werMicroDump: 0x4, werHeapDump: 0x8 } as const;
export const OPERATORS = {
  dwordEquals: 0x1,
  dwordLessThan: 0x2,
  dwordGreaterThan: 0x3,
  dwordInRange: 0x4,
  stringContains: 0x5,
  qwordEquals: 0x7,
} as const;
export const GROUP_OPERATORS = { and: 0x0, or: 0x1 } as const;

export type RuleTypeName = keyof typeof RULE_TYPES;
export type RuleActionName = keyof typeof RULE_ACTIONS;
export type OperatorName = keyof typeof OPERATORS;
export type GroupName = keyof typeof GROUP_OPERATORS;

export interface AsqmDownloadHeader {
  signature: number;
  /** All inclusive: 16 + the manifest's bytes (decision (c)). */
  length?: number;
  /** MS-SQMCS note <5> over the manifest bytes (everything after this header). */
  checksum?: number;
  reserved?: number;
}

export interface AsqmManifestHeader {
  /** Absent = 0x414D5153. */
  signature?: number;
  version: number;
  /** All inclusive, from the manifest's Signature. */
  length?: number;
  sectionCount?: number;
  /** FILETIME; 0 when the author gave no `expires`. */
  expirationTime: bigint;
  partnerName: string;
  /** The 128 bytes as sent, kept only when they differ from the canonical encoding of `partnerName`. */
  partnerNameBytes?: Buffer;
}

/**
 * The clause's comparison operand (decision (b)), after the 24 fixed bytes: `dword` (operators 1-3) one
 * DWORD; `range` (4) DWORD low then high; `string` (5) a null-terminated UTF-16 string padded to 8;
 * `qword` (7) a QWORD; `raw` whatever does not fit the operator, kept byte for byte.
 */
export type ClauseOperand =
  | { type: 'dword'; value: number }
  | { type: 'range'; low: number; high: number }
  | { type: 'string'; value: string; bytes?: Buffer }
  | { type: 'qword'; value: bigint }
  | { type: 'raw'; bytes: Buffer };

export interface AsqmClause {
  clauseLength?: number;
  /** AND clause: one bit, unique within the rule; OR clause: 0. */
  evaluationFlag: number;
  dataIdentifier: number;
  /** 0 = a data point; 1..N = that record position in the stream. */
  streamRecordPosition: number;
  operator: number;
  groupOperator: number;
  operand: ClauseOperand;
}

export interface AsqmRule {
  ruleLength?: number;
  ruleIdentifier: number;
  /** Absent = the OR of the AND clauses' EvaluationFlag bits. */
  ruleEvaluationFlag?: number;
  ruleType: number;
  ruleCallbackValue: number;
  ruleAction: number;
  /** FILETIME; 0 when the author gave no `expires`. */
  ruleExpirationTime: bigint;
  clauses: AsqmClause[];
  /** Bytes inside RuleLength after the last whole clause. */
  trailing?: Buffer;
}

export interface AsqmProperty {
  key: string;
  value: string;
  /** As sent, kept only when they differ from the canonical aligned encoding. */
  keyBytes?: Buffer;
  valueBytes?: Buffer;
}

export interface AsqmPropertySet {
  propertySetLength?: number;
  propertyCount?: number;
  name: string;
  nameBytes?: Buffer;
  properties: AsqmProperty[];
  /** Bytes after the last whole property. */
  trailing?: Buffer;
}

interface SectionBase {
  sectionLength?: number;
  /** Bytes inside SectionLength after the rule (RuleLength) or the property set. */
  extra?: Buffer;
}
export interface AsqmRuleSection extends SectionBase {
  type: 'rule';
  rule: AsqmRule;
}
export interface AsqmPropertySetSection extends SectionBase {
  type: 'propertySet';
  propertySet: AsqmPropertySet;
}
/** A section of an unknown type, one too short to decode, or one overrunning the manifest. */
export interface AsqmRawSection extends SectionBase {
  type: 'raw';
  sectionType: number;
  reason: 'unknown-type' | 'undecodable' | 'overrun';
  bytes: Buffer;
}
export type AsqmSection = AsqmRuleSection | AsqmPropertySetSection | AsqmRawSection;

/** What is served at `/sqm/<partner>/manifests/Sqm<version>.bin`: the download header and the manifest. */
export interface AsqmManifestPackage {
  download: AsqmDownloadHeader;
  header: AsqmManifestHeader;
  sections: AsqmSection[];
  /** Bytes after the last whole section (inside or past the manifest's Length). */
  trailing?: Buffer;
}

export interface DecodeResult<T> {
  value: T | null;
  findings: Finding[];
  bytesRead: number;
}
