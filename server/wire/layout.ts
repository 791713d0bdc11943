// Byte ranges of decoded fields (GET /__admin/requests/:id/layout): which bytes of a request body
// each decoded field came from, as data computed by the codecs, so a viewer can link the two.

/** One decoded field and the bytes it was read from: `[start, end)` within the request body. */
export interface ByteRange {
  /** Where the field sits in the decoded value: `sessions[0].header.studyIdentifier`. */
  path: string;
  /** The document's name for it: `StudyIdentifier`, `Section 2 (STRING)`. */
  label: string;
  start: number;
  end: number;
  /** The decoded value as text, when the field has one. */
  value?: string;
  /** Nesting level in the decoded view (0: a top-level part). */
  depth: number;
  /** `decompressed`: the offsets are within the decompressed section data, not the body. */
  space?: 'decompressed';
}

/** `studyIdentifier` → `StudyIdentifier` (MS-SQMCS field names are camelCase here, PascalCase there). */
export const specName = (field: string): string => field.charAt(0).toUpperCase() + field.slice(1);

/** A 32-bit number as decimal and hex: `8175 (0x00001FEF)`. */
export const u32Text = (n: number): string => `${n} (0x${n.toString(16).toUpperCase().padStart(8, '0')})`;
