// What every SQM section starts with (MS-SQMCS 2.2.4.3), and the raw form any section falls back to.

import type { RawSection } from './types';

/** SectionType and SectionLength as sent, and where the section header sits in the section data. */
export interface SectionHead {
  type: number;
  length: number;
  offset: number;
}

/** Section header size: SectionType + SectionLength. */
export const SECTION_HEADER_BYTES = 8;

export const rawSection = (head: SectionHead, reason: RawSection['reason'], raw: Buffer): RawSection => ({
  type: head.type,
  length: head.length,
  offset: head.offset,
  typeName: 'raw',
  reason,
  raw,
});
