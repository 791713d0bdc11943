// Extracts one file from a cabinet ([MS-CAB] CFFILE cbFile/uoffFolderStart/iFolder, CFFOLDER
// typeCompress) under a hard output limit; LZX and Quantum go to an optional fallback.

import { Findings } from '../wire/findings';
import { readCabinetDirectory } from './directory';
import { decodeFolderRange, scanFolderBlocks, type FolderRange } from './folder-data';
import { type CabDirectory, type CabFileEntry, type CabResult, type ExtractOptions } from './types';
import { report } from './rules';

/**
 * Extracts file `fileIndex` (default 0) and returns its bytes. Never throws on bad bytes.
 * Refuses before inflating anything when uoffFolderStart + cbFile passes `maxBytes`
 * ('cab.limit-exceeded'); decodes only the blocks the file needs, one at a time.
 * @example
 * const { value, findings } = extractCabinetFile(cab, { maxBytes: header.rawDataLength });
 * if (!value) record(findings);
 */
export function extractCabinetFile(buf: Uint8Array, opts: ExtractOptions & { fileIndex?: number }): CabResult<Buffer> {
  const dir = readCabinetDirectory(buf);
  const f = new Findings();
  f.list.push(...dir.findings);
  if (!dir.value) return { value: null, findings: f.list };
  const cab = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const value = extractFrom(cab, dir.value, opts, f);
  return { value: f.hasErrors ? null : value, findings: f.list };
}

function extractFrom(cab: Buffer, dir: CabDirectory, opts: ExtractOptions & { fileIndex?: number }, f: Findings): Buffer | null {
  const index = opts.fileIndex ?? 0;
  const file = dir.files[index];
  if (!Number.isInteger(index) || !file) {
    report(f, 'cab.no-files', `no file ${index}: the cabinet holds ${dir.files.length}`, { section: 'CFFILE' });
    return null;
  }
  if (!withinLimit(file, opts.maxBytes, f)) return null;
  const folder = dir.folders[file.folderIndex];
  if (folder.compression === 'lzx' || folder.compression === 'quantum') {
    const target = { file, index, folderName: folder.compression, typeCompress: folder.typeCompress };
    return viaFallback(cab, target, opts, f);
  }
  if (folder.compression !== 'none' && folder.compression !== 'mszip') {
    const msg = `typeCompress 0x${folder.typeCompress.toString(16)}: unknown compression not supported`;
    report(f, 'cab.compression-unsupported', msg);
    return null;
  }
  const start = file.offsetInFolder;
  const range: FolderRange = { start, end: start + file.size, dataReserve: dir.dataReserve };
  const blocks = scanFolderBlocks(cab, folder, range, f);
  if (!blocks) return null;
  const decode = { compression: folder.compression, range, keepMax: opts.maxBytes };
  const pieces = decodeFolderRange(cab, blocks, decode, f);
  if (!pieces) return null;
  return checkSize(Buffer.concat(pieces), file, f);
}

/** Early refusal: the declared sizes alone pass the limit, so nothing is inflated. */
function withinLimit(file: CabFileEntry, maxBytes: number, f: Findings): boolean {
  const needed = file.offsetInFolder + file.size;
  if (needed <= maxBytes) return true;
  const prefix = file.offsetInFolder > 0 ? `uoffFolderStart ${file.offsetInFolder} + ` : '';
  const what = `${prefix}cbFile ${file.size}`;
  report(f, 'cab.limit-exceeded', `'${file.name}': ${what} passes the limit of ${maxBytes} bytes`);
  return false;
}

function checkSize(out: Buffer, file: CabFileEntry, f: Findings): Buffer | null {
  if (out.length === file.size) return out;
  report(f, 'cab.file-size', `'${file.name}': extracted ${out.length} bytes, cbFile says ${file.size}`);
  return null;
}

interface FallbackTarget {
  file: CabFileEntry;
  index: number;
  folderName: 'lzx' | 'quantum';
  typeCompress: number;
}

function viaFallback(cab: Buffer, t: FallbackTarget, opts: ExtractOptions, f: Findings): Buffer | null {
  const method = t.folderName === 'lzx' ? 'LZX' : 'Quantum';
  const type = `typeCompress 0x${t.typeCompress.toString(16)}`;
  if (!opts.fallback) {
    report(f, 'cab.compression-unsupported', `${method} not supported (${type}) and no fallback given`);
    return null;
  }
  const out = opts.fallback(cab, t.index, opts.maxBytes);
  if (typeof out === 'string') {
    report(f, 'cab.compression-unsupported', `${method} not supported: fallback failed: ${out}`);
    return null;
  }
  if (out.length > opts.maxBytes) {
    report(f, 'cab.limit-exceeded', `fallback returned ${out.length} bytes, the limit is ${opts.maxBytes}`);
    return null;
  }
  return checkSize(out, t.file, f);
}
