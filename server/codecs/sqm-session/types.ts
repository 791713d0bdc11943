// Typed values of an SQM v1 session (MS-SQMCS 2.2.3, 2.2.4). Field names are the document's,
// in camelCase. 32-bit fields are numbers, 64-bit fields bigints, GUIDs `{...}` strings.

import type { Finding } from '../../wire/findings';

export const SQM_SIGNATURE = 0x4d51534d; // 'MSQM' read little-endian (MS-SQMCS note <2>)
export const SQM_HEADER_LENGTH = 0x78;

/** InternalFlags bits (MS-SQMCS 2.2.4.1). */
export const INTERNAL_FLAG_COMPRESSED = 0x1;
export const INTERNAL_FLAG_REQUEST_MANIFEST_VERSION = 0x8;
/** Flags bit 7: SQM session from proxy (MS-SQMCS note <3>). */
export const FLAG_FROM_PROXY = 0x80;

export const SECTION_DWORD = 0x0;
export const SECTION_STRING = 0x3;
export const SECTION_STREAM = 0x5;
export const SECTION_QWORD = 0x6;

export interface SqmHeader {
  signature: number;
  headerLength: number;
  flags: number;
  dataChecksum: number;
  sectionCount: number;
  dataLength: number;
  applicationIdentifier: number;
  applicationVersionHigh: number;
  applicationVersionLow: number;
  manifestVersion: number;
  clientUploadTime: bigint;
  reserved: bigint;
  clientSessionStartTime: bigint;
  clientSessionEndTime: bigint;
  /** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` */
  clientUniqueIdentifier: string;
  userUniqueIdentifier: string;
  studyIdentifier: number;
  internalFlags: number;
  rawDataLength: number;
  rawDataChecksum: number;
}

export interface DwordDataPoint {
  id: number;
  value: number;
  tickCount: number;
}
export interface QwordDataPoint {
  id: number;
  value: bigint;
  tickCount: number;
}

/**
 * STRING layouts (INTERFACE.md "Decisions on the SQM v1 binary format"):
 * `document`: 12 + 2×StringLength bytes per entry (MS-SQMCS 2.2.4.4.1.3);
 * `windows`: 4 more bytes per entry (null terminator + 2 bytes), as real Windows clients send.
 */
export type StringLayout = 'document' | 'windows';

export interface StringDataPoint {
  id: number;
  tickCount: number;
  stringLength: number;
  value: string;
  /** The 4 trailing bytes of the `windows` layout, kept for exact re-encoding (hex). */
  trailer?: string;
}

export type StreamEntry =
  | { entryType: 0x0; tickCount: number; value: number }
  | { entryType: 0x6; tickCount: number; value: bigint }
  | { entryType: 0x3; tickCount: number; stringLength: number; value: string; trailer?: string };

interface SectionBase {
  /** SectionType as sent. */
  type: number;
  /** SectionLength as sent. */
  length: number;
  /** Offset of the section header within the (uncompressed) section data. */
  offset: number;
}

export interface DwordSection extends SectionBase {
  typeName: 'dword';
  datapoints: DwordDataPoint[];
}
export interface QwordSection extends SectionBase {
  typeName: 'qword';
  datapoints: QwordDataPoint[];
}
export interface StringSection extends SectionBase {
  typeName: 'string';
  layout: StringLayout;
  datapoints: StringDataPoint[];
}
export interface StreamSection extends SectionBase {
  typeName: 'stream';
  streamIdentifier: number;
  /** As declared in the stream header (MS-SQMCS 2.2.4.4.2.1). */
  countPerRecord: number;
  countRecords: number;
  /** Layout of STRING records in this stream. */
  layout: StringLayout;
  /** Entries actually read, until the section ends (may differ from countPerRecord × countRecords). */
  entries: StreamEntry[];
}
/** Any section we cannot (or may not) decode: kept byte for byte. */
export interface RawSection extends SectionBase {
  typeName: 'raw';
  /** Why it is raw: `unknown-type`, `undecodable` or `over-limit` (more entries than the decoder takes; a finding says more). */
  reason: 'unknown-type' | 'undecodable' | 'over-limit';
  raw: Buffer;
}

export type SqmSection = DwordSection | QwordSection | StringSection | StreamSection | RawSection;

export interface SqmSession {
  header: SqmHeader;
  /** True when InternalFlags bit 0 is set and the section data is a cabinet. */
  compressed: boolean;
  /** The section data as sent (the cabinet when compressed). */
  data: Buffer;
  /** The uncompressed section data (same as `data` when not compressed; empty when decompression failed). */
  rawData: Buffer;
  sections: SqmSection[];
  /** Bytes after the last whole section that belong to no section (normally empty). */
  trailing?: Buffer;
  /** Section data past the decoding limit on sections (finding `sqm-v1.decode-limit`), kept as sent. */
  undecoded?: Buffer;
  /** Bytes 120..HeaderLength when HeaderLength > 0x78 and fits: kept so encoding is exact. */
  headerExtension?: Buffer;
  /** Checksums as computed over the received bytes. */
  computed: { dataChecksum: number; rawDataChecksum?: number };
}

export interface DecodeResult<T> {
  value: T | null;
  findings: Finding[];
  bytesRead: number;
}
