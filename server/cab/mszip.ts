// MSZIP block decoder ([MS-CAB] MSZIP, [MS-MCI]): each CFDATA block is 'CK' then a raw deflate
// stream that inflates to at most 32 KiB, with the previous block's output as its dictionary.

import { inflateRawSync, constants } from 'node:zlib';
import type { Findings } from '../wire/findings';
import { MSZIP_BLOCK_MAX } from './types';
import { report } from './rules';

const CK = 0x4b43; // 'C' 'K' read little-endian

export interface MszipBlock {
  /** The block's compressed bytes (ab), 'CK' included. */
  data: Buffer;
  /** cbUncomp the block declares. */
  cbUncomp: number;
  /** The previous block's output, or null for a folder's first block. */
  dictionary: Buffer | null;
  /** Offset of the block's data in the cabinet, for findings. */
  offset: number;
}

/**
 * Inflates one MSZIP block. Output is capped at cbUncomp (itself at most 32 KiB), so a lying
 * block can never make it allocate more. Returns null after an error finding.
 */
export function inflateMszipBlock(block: MszipBlock, f: Findings): Buffer | null {
  const { data, cbUncomp, dictionary, offset } = block;
  if (data.length < 2 || data.readUInt16LE(0) !== CK) {
    const got = data.length < 2 ? `${data.length} bytes` : `0x${data.subarray(0, 2).toString('hex')}`;
    report(f, 'cab.mszip-signature', `block must start with 'CK' (0x434b), got ${got}`, { offset });
    return null;
  }
  let out: Buffer;
  try {
    out = inflateRawSync(data.subarray(2), {
      ...(dictionary && dictionary.length > 0 ? { dictionary } : {}),
      maxOutputLength: Math.max(1, Math.min(cbUncomp, MSZIP_BLOCK_MAX)),
      // Blocks whose deflate stream lacks BFINAL still decode; the size check below catches
      // a stream that really is cut short.
      finishFlush: constants.Z_SYNC_FLUSH,
    });
  } catch (e) {
    return inflateFailed(e, block, f);
  }
  if (out.length !== cbUncomp) {
    report(f, 'cab.block-size', `block inflates to ${out.length} bytes, cbUncomp says ${cbUncomp}`, { offset, section: 'MSZIP' });
    return null;
  }
  return out;
}

function inflateFailed(e: unknown, block: MszipBlock, f: Findings): null {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ERR_BUFFER_TOO_LARGE') {
    const msg = `block inflates to more than cbUncomp ${block.cbUncomp} bytes`;
    report(f, 'cab.block-size', msg, { offset: block.offset, section: 'MSZIP' });
  } else {
    const msg = `deflate data: ${err.code ?? 'error'} ${err.message ?? String(e)}`;
    report(f, 'cab.inflate', msg, { offset: block.offset });
  }
  return null;
}
