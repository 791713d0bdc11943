// The async pre-step for LZX/Quantum cabinets: decoders stay pure and synchronous, so before
// decoding, the cabinets in a body that need cabextract are found and extracted asynchronously;
// the decoders then get a synchronous fallback answering from those results.

import { readCabinetDirectory } from './directory';
import type { CabextractRunner } from './lzx-cabextract';
import type { ExtractOptions } from './types';

type Fallback = NonNullable<ExtractOptions['fallback']>;

/** At most this many `MSCF` signatures are looked at, and this many files extracted, per body. */
const MAX_SIGNATURES = 64;
const MAX_FILES = 16;
const MSCF = Buffer.from('MSCF', 'latin1');

interface Prepared {
  cab: Buffer;
  fileIndex: number;
  out: Buffer | string;
}

/** The LZX/Quantum cabinets inside `bytes` (signature, directory and cbCabinet checked), each cut to cbCabinet. */
function fallbackCabinets(bytes: Buffer): { cab: Buffer; files: number[] }[] {
  const found: { cab: Buffer; files: number[] }[] = [];
  let seen = 0;
  for (let at = bytes.indexOf(MSCF); at >= 0 && seen < MAX_SIGNATURES; at = bytes.indexOf(MSCF, at + 1), seen++) {
    const dir = readCabinetDirectory(bytes.subarray(at)).value;
    if (!dir) continue;
    const files = dir.files.flatMap((f, i) => (['lzx', 'quantum'].includes(dir.folders[f.folderIndex]?.compression) ? [i] : []));
    if (files.length > 0) found.push({ cab: bytes.subarray(at, at + Math.min(dir.cbCabinet, bytes.length - at)), files });
  }
  return found;
}

/**
 * Extracts (asynchronously, one at a time) every LZX/Quantum file of the cabinets in `bytes`; the
 * result is a fallback for extractCabinetFile, or undefined without a runner. A cabinet the scan
 * did not see (e.g. inside an LZX payload) gets a reason, so a finding, not a block.
 * @example
 * const fallback = await prefetchFallback(req.body, ctx.cabextract, limit);
 * decodeSqmSession(req.body, { maxRawBytes: limit, decompress: (d, max) => extractCabinetFile(d, { maxBytes: max, fallback }) });
 */
export async function prefetchFallback(bytes: Buffer, runner: CabextractRunner | undefined, maxBytes: number): Promise<Fallback | undefined> {
  if (!runner) return undefined;
  const prepared: Prepared[] = [];
  for (const { cab, files } of fallbackCabinets(bytes)) {
    for (const fileIndex of files) {
      if (prepared.length >= MAX_FILES) break;
      prepared.push({ cab, fileIndex, out: await runner.run(cab, fileIndex, maxBytes) });
    }
  }
  return (cab, fileIndex) => {
    const hit = prepared.find((p) => p.fileIndex === fileIndex && cab.length >= p.cab.length && cab.subarray(0, p.cab.length).equals(p.cab));
    return hit ? hit.out : 'the cabinet was not among those extracted before decoding (nested, or past the 16-file cap)';
  };
}
