// Display names for SQM v1 numbers: section types (MS-SQMCS 2.2.4.3), Flags bits (note <3> to
// 2.2.4.1, and the Windows Embedded Compact SQM header) and InternalFlags bits (2.2.4.1). For
// display and findings only; decoding never depends on them.

export const SECTION_TYPE_NAMES: Readonly<Record<number, string>> = { 0x0: 'dword', 0x3: 'string', 0x5: 'stream', 0x6: 'qword' };

/** One flag bit: its display name and what each source calls it (null where it says nothing). */
export interface FlagBit {
  name: string;
  /** MS-SQMCS: note <3> to 2.2.4.1 for Flags, 2.2.4.1 for InternalFlags. */
  document: string | null;
  /** The Windows Embedded Compact SQM client header, `SqmSetFlags` enum (Flags only). */
  compact: string | null;
  /** A real client sets it although no source names it (InternalFlags bit 1). */
  seenIn?: string;
}

const bit = (name: string, document: string | null, compact: string | null): FlagBit => ({ name, document, compact });

/**
 * Flags bits. The document (note <3>) lists 0, 2, 3, 6, 7, 9 and 10 and calls 1, 4, 5 and 8
 * reserved. The Windows Embedded Compact SQM client header (the `SqmSetFlags` enum of its SQM API,
 * SQM_FLAG_DEBUG = 1 << 0 … SQM_FLAG_MANAGED_SESSION = 1 << 31) names the session flags, and its
 * bits 0, 2, 3 and 6 are the document's debug, SSL, do-not-upload and partial-session bits, so it
 * describes this field: it also names 1 (never throttle: "immune to sampling on the server"),
 * 4 (test), 5 (internal SQM sessions), 7 (corporate SQM data, where the document says "session
 * from proxy") and 31 (managed session). An older Windows CE version of the header names only 0-3.
 */
export const FLAG_BITS: Readonly<Record<number, FlagBit>> = {
  0: bit('debug', 'Debug SQM application', 'SQM_FLAG_DEBUG'),
  1: bit('neverThrottle', null, 'SQM_FLAG_NEVER_THROTTLE'),
  2: bit('sslRequired', 'SSL required for upload', 'SQM_SECURE_UPLOAD'),
  3: bit('doNotUpload', 'Do not upload', 'SQM_DO_NOT_UPLOAD'),
  4: bit('test', null, 'SQM_FLAG_TEST'),
  5: bit('internal', null, 'SQM_FLAG_INTERNAL'),
  6: bit('partialSession', 'Partial SQM session', 'SQM_FLAG_PARTIAL_SESSION'),
  // The document's name is kept: the relay sets this bit as "session from proxy".
  7: bit('fromProxy', 'SQM session from proxy', 'SQM_FLAG_CORPORATE'),
  9: bit('endTimeIndeterminate', 'SQM session end time indeterminate', null),
  10: bit('headerOnly', 'SQM header only upload', null),
  31: bit('managedSession', null, 'SQM_FLAG_MANAGED_SESSION'),
};

/** InternalFlags bits (MS-SQMCS 2.2.4.1: the rest reserved, MUST be 0); bit 1 is set by Windows 7. */
export const INTERNAL_FLAG_BITS: Readonly<Record<number, FlagBit>> = {
  0: bit('compressed', 'IsSessionDataCompressed', null),
  1: { ...bit('bit1', null, null), seenIn: 'Windows 7 (the MS-SQMCS 4.1 capture)' },
  3: bit('requestManifestVersion', 'RequestManifestVersion', null),
};

/** The set bits of a flags value, each with what the sources call it. */
export function flagBits(value: number, table: Readonly<Record<number, FlagBit>>): (FlagBit & { bit: number })[] {
  const out: (FlagBit & { bit: number })[] = [];
  for (let b = 0; b < 32; b++) {
    if (((value >>> b) & 1) === 1) out.push({ bit: b, ...(table[b] ?? { name: `bit${b}`, document: null, compact: null }) });
  }
  return out;
}

/** `'dword'` … or `'0x1'` for a type the document does not list. */
export const sectionTypeName = (type: number): string => SECTION_TYPE_NAMES[type] ?? '0x' + (type >>> 0).toString(16).toUpperCase();

/**
 * Names of the bits set in Flags (the document's, else the Windows Embedded Compact header's);
 * bits neither names appear as `bitN`.
 * @example flagNames(0xa0) // ['internal', 'fromProxy']
 */
export const flagNames = (flags: number): string[] => flagBits(flags, FLAG_BITS).map((b) => b.name);

/** @example internalFlagNames(0xa) // ['bit1', 'requestManifestVersion'] */
export const internalFlagNames = (flags: number): string[] => flagBits(flags, INTERNAL_FLAG_BITS).map((b) => b.name);
