// The binary payload of a dataupload message (MS-SQMCS2 2.2.2.11, 3.2.5.2): size checked against
// the bytes after the XML, decompressed when `comp` is given (a cabinet, INTERFACE.md), capped.

import { extractCabinetFile, type ExtractOptions } from '../../cab';
import { Findings, type Finding } from '../../wire/findings';
import { report } from './rules';
import { argValue, type Arg } from './types';

export interface Blob {
  bytes: Buffer;
  compressed: boolean;
}

const decimal = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

/** `limit` caps the decompressed blob; `fallback` extracts LZX/Quantum (server/cab/prefetch.ts). */
export function readPayload(args: readonly Arg[] | null, after: Buffer, limit: number, fallback?: ExtractOptions['fallback']): { value: Blob | null; findings: Finding[] } {
  const f = new Findings();
  const size = decimal(argValue(args ?? [], 'size'));
  if (size === undefined) {
    report(f, 'sqm-v2.payload-size', 'payload has no decimal size argument, needed for dataupload');
  } else if (size !== after.length) {
    report(f, 'sqm-v2.payload-size', `payload size is ${size}; ${after.length} bytes follow the XML`);
  }
  if (f.hasErrors) return { value: null, findings: f.list };
  const comp = argValue(args ?? [], 'comp');
  if (comp === undefined) return { value: { bytes: after, compressed: false }, findings: f.list };
  const pre = decimal(argValue(args ?? [], 'precompsize'));
  if (pre === undefined) {
    report(f, 'sqm-v2.precompsize', `payload comp="${comp}" needs a decimal precompsize`);
    return { value: null, findings: f.list };
  }
  const out = extractCabinetFile(after, { maxBytes: Math.min(pre, limit), fallback });
  f.list.push(...out.findings);
  if (!out.value) {
    if (!f.hasErrors) report(f, 'sqm-v2.decompress', 'the compressed payload could not be read');
    return { value: null, findings: f.list };
  }
  if (out.value.length !== pre) report(f, 'sqm-v2.precompsize', `precompsize is ${pre}; the payload decompressed to ${out.value.length} bytes`);
  return { value: f.hasErrors ? null : { bytes: out.value, compressed: true }, findings: f.list };
}

/** A dataupload's slice (MS-SQMCS2 2.2.2.16.2): inside the blob, not overlapping earlier ones. */
export function sliceOf(args: readonly Arg[], blob: Blob, taken: [number, number][]): { value: [number, number] | null; message?: string } {
  const offset = decimal(argValue(args, 'offset'));
  const size = decimal(argValue(args, 'size'));
  if (offset === undefined || size === undefined) return { value: null, message: 'dataupload needs decimal offset and size arguments' };
  if (offset + size > blob.bytes.length) return { value: null, message: `offset ${offset} + size ${size} runs past the ${blob.bytes.length}-byte payload` };
  const clash = taken.find(([o, s]) => offset < o + s && o < offset + size);
  if (clash) return { value: null, message: `bytes ${offset}..${offset + size} overlap another session at ${clash[0]}..${clash[0] + clash[1]}` };
  return { value: [offset, size] };
}
