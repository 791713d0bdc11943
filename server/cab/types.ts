// Typed values of a Microsoft Cabinet ([MS-CAB] CFHEADER, CFFOLDER, CFFILE) and the options of
// the extractor. Field names follow the document where they map one to one.

import type { Finding } from '../wire/findings';

/** 'MSCF' read as a little-endian u32. */
export const CAB_SIGNATURE = 0x4643534d;
/** CFHEADER flags. */
export const FLAG_PREV_CABINET = 0x0001;
export const FLAG_NEXT_CABINET = 0x0002;
export const FLAG_RESERVE_PRESENT = 0x0004;
/** CFFILE attribs bit: szName is UTF-8, not the local code page. */
export const ATTRIB_NAME_IS_UTF = 0x0080;
/** CFFILE iFolder values >= this mark files continued from/to another cabinet. */
export const IFOLD_CONTINUED_FROM_PREV = 0xfffd;
/** MSZIP: a CFDATA block never holds more than 32 KiB of uncompressed data. */
export const MSZIP_BLOCK_MAX = 32768;

export type CabCompression = 'none' | 'mszip' | 'quantum' | 'lzx' | 'unknown';

export interface CabFileEntry {
  /** szName, decoded as UTF-8 when attribs has 0x80, else as Latin-1. */
  name: string;
  /** cbFile: uncompressed size in bytes. */
  size: number;
  /** iFolder. */
  folderIndex: number;
  /** uoffFolderStart: uncompressed offset of the file within its folder. */
  offsetInFolder: number;
  attribs: number;
  /** MS-DOS date and time, as stored. */
  date: number;
  time: number;
}

export interface CabFolderEntry {
  compression: CabCompression;
  /** typeCompress as stored (low 4 bits: method; LZX window size in bits 8-12). */
  typeCompress: number;
  /** coffCabStart: offset of the folder's first CFDATA block. */
  dataOffset: number;
  /** cCFData: number of CFDATA blocks in this cabinet. */
  dataBlocks: number;
}

export interface CabDirectory {
  /** Bytes of the buffer that were given. */
  size: number;
  /** cbCabinet: total cabinet size the header declares. */
  cbCabinet: number;
  flags: number;
  setId: number;
  /** cbCFData from the reserve header (0 when flags lacks 0x4): reserve bytes in each CFDATA. */
  dataReserve: number;
  folders: CabFolderEntry[];
  files: CabFileEntry[];
}

/** Decoder result: `value` is null when the bytes could not be read; findings say why. */
export interface CabResult<T> {
  value: T | null;
  findings: Finding[];
}

export interface ExtractOptions {
  /**
   * Hard limit on uncompressed bytes produced (e.g. the SQM header's RawDataLength, or a global
   * cap). It bounds the bytes the extraction needs: the folder bytes before the file
   * (uoffFolderStart, 0 for the first file) plus the file itself. Extraction is refused before
   * inflating anything when the declared sizes pass it, and stops as soon as it would be
   * exceeded: an `error` finding rule 'cab.limit-exceeded' names the limit.
   */
  maxBytes: number;
  /**
   * Optional LZX (or Quantum) fallback: given the whole cabinet, return the file's bytes, or a
   * string reason it failed.
   */
  fallback?: (cab: Buffer, fileIndex: number, maxBytes: number) => Buffer | string;
}
