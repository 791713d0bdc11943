// Decoder for the cabinet header: [MS-CAB] CFHEADER, its optional reserve sizes and abReserve,
// and the previous/next cabinet names (read only to be skipped; cabinet sets are refused).

import { ByteReader } from '../wire/reader';
import { type Findings, hex32 } from '../wire/findings';
import { CAB_SIGNATURE, FLAG_NEXT_CABINET, FLAG_PREV_CABINET, FLAG_RESERVE_PRESENT } from './types';
import { report } from './rules';

export interface CabHeader {
  cbCabinet: number;
  coffFiles: number;
  versionMinor: number;
  versionMajor: number;
  cFolders: number;
  cFiles: number;
  flags: number;
  setId: number;
  iCabinet: number;
  /** cbCFHeader, cbCFFolder, cbCFData (all 0 unless flags has 0x4). */
  cbCFHeader: number;
  cbCFFolder: number;
  cbCFData: number;
}

/** Fixed part of CFHEADER: 36 bytes. */
export const CFHEADER_FIXED = 36;

/** Reads a null-terminated string of at most `max` bytes (terminator excluded); undefined if none. */
export function readCString(r: ByteReader, max: number): Buffer | undefined {
  const limit = Math.min(r.end, r.pos + max + 1);
  const i = r.buf.subarray(r.pos, limit).indexOf(0);
  if (i < 0) return undefined;
  const s = r.buf.subarray(r.pos, r.pos + i);
  r.pos += i + 1;
  return s;
}

/**
 * Reads CFHEADER at offset 0. Returns the header and the offset of the first CFFOLDER, or null
 * with an error finding (cab.signature, cab.truncated, cab.header) when the header is unusable.
 */
export function decodeCabHeader(buf: Uint8Array, f: Findings): { header: CabHeader; bytesRead: number } | null {
  const r = new ByteReader(buf);
  if (!r.has(CFHEADER_FIXED)) {
    if (r.has(4) && r.buf.readUInt32LE(0) !== CAB_SIGNATURE) return badSignature(r.buf, f);
    report(f, 'cab.truncated', `CFHEADER needs ${CFHEADER_FIXED} bytes, got ${r.end}`, { offset: 0 });
    return null;
  }
  if (r.buf.readUInt32LE(0) !== CAB_SIGNATURE) return badSignature(r.buf, f);
  r.pos = 8; // signature, reserved1
  const cbCabinet = r.u32()!;
  r.pos += 4; // reserved2
  const coffFiles = r.u32()!;
  r.pos += 4; // reserved3
  const versionMinor = r.buf[r.pos++];
  const versionMajor = r.buf[r.pos++];
  const header: CabHeader = {
    cbCabinet,
    coffFiles,
    versionMinor,
    versionMajor,
    cFolders: r.u16()!,
    cFiles: r.u16()!,
    flags: r.u16()!,
    setId: r.u16()!,
    iCabinet: r.u16()!,
    cbCFHeader: 0,
    cbCFFolder: 0,
    cbCFData: 0,
  };
  if (!readOptionalParts(r, header, f)) return null;
  checkHeaderFields(header, r.end, f);
  return f.hasErrors ? null : { header, bytesRead: r.pos };
}

function badSignature(buf: Buffer, f: Findings): null {
  const got = buf.length >= 4 ? hex32(buf.readUInt32LE(0)) : `${buf.length} bytes`;
  report(f, 'cab.signature', `signature: expected 'MSCF' (0x4643534D), got ${got}`, { offset: 0 });
  return null;
}

/** Reserve sizes and abReserve (flags 0x4), then szCabinetPrev/szDiskPrev and the next pair. */
function readOptionalParts(r: ByteReader, h: CabHeader, f: Findings): boolean {
  if (h.flags & FLAG_RESERVE_PRESENT) {
    if (!r.has(4)) return truncated(r, f, 'cbCFHeader/cbCFFolder/cbCFData');
    h.cbCFHeader = r.u16()!;
    h.cbCFFolder = r.buf[r.pos++];
    h.cbCFData = r.buf[r.pos++];
    if (!r.bytes(h.cbCFHeader)) return truncated(r, f, `abReserve (${h.cbCFHeader} bytes)`);
  }
  const pairs: [number, string][] = [
    [FLAG_PREV_CABINET, 'szCabinetPrev/szDiskPrev'],
    [FLAG_NEXT_CABINET, 'szCabinetNext/szDiskNext'],
  ];
  for (const [flag, what] of pairs) {
    if (!(h.flags & flag)) continue;
    // The document caps these strings at 255 bytes plus the terminator.
    if (!readCString(r, 255) || !readCString(r, 255)) return truncated(r, f, what);
  }
  return true;
}

function truncated(r: ByteReader, f: Findings, what: string): false {
  report(f, 'cab.truncated', `${what} runs past the end of the buffer`, { offset: r.pos });
  return false;
}

function checkHeaderFields(h: CabHeader, size: number, f: Findings): void {
  if (h.versionMajor !== 1 || h.versionMinor !== 3) {
    const got = `${h.versionMajor}.${h.versionMinor}`;
    report(f, 'cab.header', `version: expected 1.3, got ${got}`, { offset: 24, level: 'warning' });
  }
  if (h.cbCabinet > size) {
    report(f, 'cab.truncated', `cbCabinet declares ${h.cbCabinet} bytes, buffer has ${size}`, { offset: 8 });
  } else if (h.cbCabinet < size) {
    report(f, 'cab.header', `cbCabinet declares ${h.cbCabinet} bytes, buffer has ${size}`, { offset: 8, level: 'warning' });
  }
  if (h.cFiles > 0 && h.cFolders === 0) {
    report(f, 'cab.header', `cFolders is 0 but cFiles is ${h.cFiles}`, { offset: 26 });
  }
  if (h.coffFiles < CFHEADER_FIXED || h.coffFiles >= Math.min(h.cbCabinet, size)) {
    if (h.cFiles > 0) {
      report(f, 'cab.header', `coffFiles ${h.coffFiles} is outside the cabinet`, { offset: 16 });
    }
  }
  if (h.flags & (FLAG_PREV_CABINET | FLAG_NEXT_CABINET)) {
    const which = [h.flags & FLAG_PREV_CABINET ? 'previous' : '', h.flags & FLAG_NEXT_CABINET ? 'next' : ''].filter(Boolean).join(' and ');
    const msg = `flags ${h.flags}: cabinet sets (${which} cabinet) are not supported`;
    report(f, 'cab.multi-cabinet', msg, { offset: 30 });
  }
}
