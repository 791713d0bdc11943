// Display names for SQM v1 numbers: section types (MS-SQMCS 2.2.4.3), Flags bits (note <3> to
// 2.2.4.1) and InternalFlags bits (2.2.4.1). For display only; decoding never depends on them.

export const SECTION_TYPE_NAMES: Readonly<Record<number, string>> = { 0x0: 'dword', 0x3: 'string', 0x5: 'stream', 0x6: 'qword' };

/** Flags bit positions used by Windows clients (MS-SQMCS note <3>); the rest are reserved. */
export const FLAG_NAMES: Readonly<Record<number, string>> = {
  0: 'debug',
  2: 'sslRequired',
  3: 'doNotUpload',
  6: 'partialSession',
  7: 'fromProxy',
  9: 'endTimeIndeterminate',
  10: 'headerOnly',
};

/** InternalFlags bit positions (MS-SQMCS 2.2.4.1). */
export const INTERNAL_FLAG_NAMES: Readonly<Record<number, string>> = { 0: 'compressed', 3: 'requestManifestVersion' };

/** `'dword'` … or `'0x1'` for a type the document does not list. */
export const sectionTypeName = (type: number): string => SECTION_TYPE_NAMES[type] ?? '0x' + (type >>> 0).toString(16).toUpperCase();

function bitNames(value: number, names: Readonly<Record<number, string>>): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((value >>> bit) & 1) === 1) out.push(names[bit] ?? `bit${bit}`);
  }
  return out;
}

/**
 * Names of the bits set in Flags; unnamed (reserved) bits appear as `bitN`.
 * @example flagNames(0xa0) // ['bit5', 'fromProxy']
 */
export const flagNames = (flags: number): string[] => bitNames(flags, FLAG_NAMES);

/** @example internalFlagNames(0xa) // ['bit1', 'requestManifestVersion'] */
export const internalFlagNames = (flags: number): string[] => bitNames(flags, INTERNAL_FLAG_NAMES);
