// Reads a cabinet's directory: [MS-CAB] CFHEADER (via header.ts), the CFFOLDER entries that
// follow it and the CFFILE entries at coffFiles. No decompression happens here.

import { ByteReader } from '../wire/reader';
import { Findings } from '../wire/findings';
import { decodeCabHeader, readCString, type CabHeader } from './header';
import { ATTRIB_NAME_IS_UTF, IFOLD_CONTINUED_FROM_PREV, type CabCompression, type CabDirectory, type CabFileEntry, type CabFolderEntry, type CabResult } from './types';
import { report } from './rules';

const COMPRESSION: Record<number, CabCompression> = { 0: 'none', 1: 'mszip', 2: 'quantum', 3: 'lzx' };
/** CFFILE fixed part: cbFile, uoffFolderStart, iFolder, date, time, attribs. */
const CFFILE_FIXED = 16;
/** CB_MAX_FILENAME in the reference headers: szName holds at most 256 bytes. */
const MAX_NAME = 256;

/** Compression method named by the low 4 bits of typeCompress (CFFOLDER). */
export function compressionOf(typeCompress: number): CabCompression {
  return COMPRESSION[typeCompress & 0x000f] ?? 'unknown';
}

/**
 * Parses headers, folders and file entries only (no decompression). Never throws.
 * `value` is null when any `error` finding was raised; warnings leave it usable.
 * @example
 * const { value, findings } = readCabinetDirectory(buf);
 * if (value) console.log(value.files.map((f) => `${f.name} ${f.size}`));
 */
export function readCabinetDirectory(buf: Uint8Array): CabResult<CabDirectory> {
  const f = new Findings();
  const head = decodeCabHeader(buf, f);
  if (!head) return { value: null, findings: f.list };
  const { header } = head;
  const r = new ByteReader(buf, head.bytesRead, Math.min(buf.length, header.cbCabinet));
  const folders = readFolders(r, header, f);
  const files = folders ? readFiles(r, header, folders.length, f) : null;
  if (!folders || !files) return { value: null, findings: f.list };
  if (files.length === 0) report(f, 'cab.no-files', 'cFiles is 0: the cabinet holds no file', { offset: 28 });
  const value: CabDirectory = {
    size: buf.length,
    cbCabinet: header.cbCabinet,
    flags: header.flags,
    setId: header.setId,
    dataReserve: header.cbCFData,
    folders,
    files,
  };
  return { value: f.hasErrors ? null : value, findings: f.list };
}

function readFolders(r: ByteReader, h: CabHeader, f: Findings): CabFolderEntry[] | null {
  const folders: CabFolderEntry[] = [];
  for (let i = 0; i < h.cFolders; i++) {
    const at = r.pos;
    const coffCabStart = r.u32();
    const cCFData = r.u16();
    const typeCompress = r.u16();
    if (typeCompress === undefined || !r.bytes(h.cbCFFolder)) {
      report(f, 'cab.truncated', `CFFOLDER ${i} of ${h.cFolders} runs past the end`, { offset: at, section: 'CFFOLDER' });
      return null;
    }
    // An empty folder (cCFData 0) may point at the very end of the cabinet.
    if (coffCabStart! > r.end || (cCFData! > 0 && coffCabStart! >= r.end)) {
      report(f, 'cab.header', `CFFOLDER ${i}: coffCabStart ${coffCabStart} is outside the cabinet`, { offset: at, section: 'CFFOLDER' });
    }
    folders.push({
      compression: compressionOf(typeCompress),
      typeCompress,
      dataOffset: coffCabStart!,
      dataBlocks: cCFData!,
    });
  }
  return folders;
}

function readFiles(r: ByteReader, h: CabHeader, nFolders: number, f: Findings): CabFileEntry[] | null {
  const files: CabFileEntry[] = [];
  r.pos = h.coffFiles;
  for (let i = 0; i < h.cFiles; i++) {
    const at = r.pos;
    const fixed = r.bytes(CFFILE_FIXED);
    const name = fixed && readCString(r, MAX_NAME);
    if (!fixed || !name) {
      const msg = `CFFILE ${i} of ${h.cFiles} runs past the end or lacks szName's terminator`;
      report(f, 'cab.truncated', msg, { offset: at, section: 'CFFILE' });
      return null;
    }
    const entry: CabFileEntry = {
      size: fixed.readUInt32LE(0),
      offsetInFolder: fixed.readUInt32LE(4),
      folderIndex: fixed.readUInt16LE(8),
      date: fixed.readUInt16LE(10),
      time: fixed.readUInt16LE(12),
      attribs: fixed.readUInt16LE(14),
      name: name.toString(fixed.readUInt16LE(14) & ATTRIB_NAME_IS_UTF ? 'utf8' : 'latin1'),
    };
    checkFolderIndex(entry, i, nFolders, at, f);
    files.push(entry);
  }
  return files;
}

function checkFolderIndex(e: CabFileEntry, i: number, nFolders: number, at: number, f: Findings): void {
  if (e.folderIndex >= IFOLD_CONTINUED_FROM_PREV) {
    // 0xFFFD continued from previous, 0xFFFE continued to next, 0xFFFF both: cabinet sets.
    const msg = `CFFILE ${i} '${e.name}': iFolder 0x${e.folderIndex.toString(16)} marks a file split across cabinets`;
    report(f, 'cab.multi-cabinet', msg, { offset: at + 8, section: 'CFFILE' });
  } else if (e.folderIndex >= nFolders) {
    const msg = `CFFILE ${i} '${e.name}': iFolder ${e.folderIndex} >= cFolders ${nFolders}`;
    report(f, 'cab.header', msg, { offset: at + 8, section: 'CFFILE' });
  }
}
