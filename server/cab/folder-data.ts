// Walks a folder's data blocks ([MS-CAB] CFDATA: csum, cbData, cbUncomp, abReserve, ab) and
// decodes a byte range of the folder, stored (typeCompress 0) or MSZIP, block by block.

import { ByteReader } from '../wire/reader';
import { hex32, type Findings } from '../wire/findings';
import { cfdataChecksum } from './checksum';
import { inflateMszipBlock } from './mszip';
import { MSZIP_BLOCK_MAX, type CabFolderEntry } from './types';
import { report } from './rules';

export interface DataBlockHeader {
  /** Offset of the block's data (ab) in the cabinet. */
  offset: number;
  cbData: number;
  cbUncomp: number;
}

export interface FolderRange {
  /** Uncompressed folder offsets: [start, end). */
  start: number;
  end: number;
  /** cbCFData: reserve bytes in each CFDATA. */
  dataReserve: number;
}

/**
 * Reads the CFDATA headers of `folder` until their cbUncomp sum covers `end`, verifying each
 * block's csum when it is not 0 (mismatch: warning). No data is inflated. Null after an error.
 */
export function scanFolderBlocks(buf: Buffer, folder: CabFolderEntry, range: FolderRange, f: Findings): DataBlockHeader[] | null {
  const r = new ByteReader(buf, folder.dataOffset);
  const blocks: DataBlockHeader[] = [];
  let total = 0;
  for (let i = 0; i < folder.dataBlocks && total < range.end; i++) {
    const at = r.pos;
    const csum = r.u32();
    const head = r.bytes(4 + range.dataReserve);
    const cbData = head?.readUInt16LE(0) ?? 0;
    const data = head && r.bytes(cbData);
    if (!head || !data) {
      report(f, 'cab.truncated', `CFDATA ${i} of ${folder.dataBlocks} runs past the end of the cabinet`, { offset: at, section: 'CFDATA' });
      return null;
    }
    const block = { offset: at + 8 + range.dataReserve, cbData, cbUncomp: head.readUInt16LE(2) };
    if (block.cbUncomp > MSZIP_BLOCK_MAX) {
      report(f, 'cab.block-size', `CFDATA ${i}: cbUncomp ${block.cbUncomp} > ${MSZIP_BLOCK_MAX}`, { offset: at + 6 });
      return null;
    }
    const want = csum === 0 ? 0 : cfdataChecksum(data, head);
    if (want !== csum) {
      report(f, 'cab.checksum', `CFDATA ${i}: csum ${hex32(csum!)}, computed ${hex32(want)}`, { offset: at });
    }
    blocks.push(block);
    total += block.cbUncomp;
  }
  if (total < range.end) {
    const msg = `folder's ${blocks.length} CFDATA blocks hold ${total} bytes, the file needs ${range.end}`;
    report(f, 'cab.file-size', msg, { offset: folder.dataOffset, section: 'CFDATA' });
    return null;
  }
  return blocks;
}

/**
 * Decodes the blocks in order and keeps only the parts inside [start, end); blocks before the
 * range are decoded (they are the dictionary) and dropped. `keepMax` bounds the kept bytes.
 * Returns the kept pieces, to be concatenated once, or null after an error finding.
 */
export function decodeFolderRange(
  buf: Buffer,
  blocks: DataBlockHeader[],
  opts: { compression: 'none' | 'mszip'; range: FolderRange; keepMax: number },
  f: Findings,
): Buffer[] | null {
  const { start, end } = opts.range;
  const pieces: Buffer[] = [];
  let pos = 0; // uncompressed folder offset of the current block
  let kept = 0;
  let prev: Buffer | null = null;
  for (const b of blocks) {
    if (pos >= end) break;
    const out = decodeBlock(buf, b, opts.compression, prev, f);
    if (!out) return null;
    const piece = out.subarray(Math.max(0, start - pos), Math.min(out.length, end - pos));
    if (pos + out.length > start) {
      if (kept + piece.length > opts.keepMax) {
        const msg = `output would pass the limit of ${opts.keepMax} bytes`;
        report(f, 'cab.limit-exceeded', msg, { offset: b.offset, section: 'CFDATA' });
        return null;
      }
      pieces.push(piece);
      kept += piece.length;
    }
    prev = out;
    pos += out.length;
  }
  return pieces;
}

function decodeBlock(buf: Buffer, b: DataBlockHeader, compression: 'none' | 'mszip', prev: Buffer | null, f: Findings): Buffer | null {
  const data = buf.subarray(b.offset, b.offset + b.cbData);
  if (compression === 'mszip') {
    return inflateMszipBlock({ data, cbUncomp: b.cbUncomp, dictionary: prev, offset: b.offset }, f);
  }
  if (b.cbData !== b.cbUncomp) {
    report(f, 'cab.block-size', `stored block: cbData ${b.cbData} != cbUncomp ${b.cbUncomp}`, { offset: b.offset });
    return null;
  }
  return data;
}
