// The relay's change to an SQM v2 dataupload message (MS-SQMCS2 3.3): every session the reqs point
// at augmented (augment.ts) in place in the payload, bytes no req refers to kept where they were
// (later slices shift by the growth of earlier ones), and in the XML only the values that must
// change (dataupload offset/size, payload size/precompsize) replaced, character for character; the
// length prefix recomputed. A compressed payload is compressed again the way it came (MSZIP or
// stored). Anything it cannot read is left for byte-for-byte forwarding (null).

import { buildCabinet, readCabinetDirectory } from '../../cab';
import { splitMessage, frameMessage } from '../../codecs/sqm-v2-message/framing';
import { readPayload } from '../../codecs/sqm-v2-message/payload';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import { argValue, type TpxsReq } from '../../codecs/sqm-v2-message/types';
import { argAt, argPositions, type ArgValueAt } from './arg-positions';
import { augmentSession, type RelayMark } from './augment';

interface Slice {
  offset: number;
  size: number;
  at: { offset: ArgValueAt; size: ArgValueAt };
}
interface Edit {
  start: number;
  end: number;
  text: string;
}

export function augmentV2(body: Buffer, mark: RelayMark, maxRawBytes: number): Buffer | null {
  const framed = splitMessage(body).value;
  const msg = framed ? parseTpxs(framed.xml).value : null;
  const where = framed ? argPositions(framed.xml) : null;
  if (!framed || !msg || !where || where.reqs.length !== msg.reqs.length) return null;
  const slices = slicesOf(msg.reqs, where.reqs);
  if (!slices || slices.length === 0) return null;
  const blob = readPayload(msg.payload, framed.payload, maxRawBytes).value;
  if (!blob || slices.some((s) => s.offset + s.size > blob.bytes.length)) return null;
  const sorted = [...slices].sort((a, b) => a.offset - b.offset);
  if (sorted.some((s, i) => i > 0 && s.offset < sorted[i - 1].offset + sorted[i - 1].size)) return null;
  const edits: Edit[] = [];
  const parts: Buffer[] = [];
  let read = 0;
  let written = 0;
  for (const s of sorted) {
    // Bytes between slices that no req refers to go on where they were.
    const gap = blob.bytes.subarray(read, s.offset);
    const original = blob.bytes.subarray(s.offset, s.offset + s.size);
    const bytes = augmentSession(original, mark, maxRawBytes) ?? original;
    parts.push(gap, bytes);
    edits.push(edit(s.at.offset, written + gap.length), edit(s.at.size, bytes.length));
    written += gap.length + bytes.length;
    read = s.offset + s.size;
  }
  parts.push(blob.bytes.subarray(read));
  const raw = Buffer.concat(parts);
  const payload = blob.compressed ? recompress(raw, framed.payload) : raw;
  const size = argAt(where.payload, 'size');
  const pre = argAt(where.payload, 'precompsize');
  if (!size || (blob.compressed && !pre)) return null;
  edits.push(edit(size, payload.length));
  if (blob.compressed) edits.push(edit(pre!, raw.length));
  return frameMessage(applyEdits(framed.xml, edits), payload);
}

/** Each dataupload's slice with where its offset and size values sit; null when one is not decimal. */
function slicesOf(reqs: readonly TpxsReq[], at: ArgValueAt[][]): Slice[] | null {
  const out: Slice[] = [];
  for (const [i, r] of reqs.entries()) {
    if (r.cmd?.nm !== 'dataupload') continue;
    const offset = argAt(at[i], 'offset');
    const size = argAt(at[i], 'size');
    // The scanner and the parser must agree on what they read, or the message is left alone.
    if (!offset || !size || offset.val !== argValue(r.cmd.args, 'offset') || size.val !== argValue(r.cmd.args, 'size')) return null;
    if (!/^\d+$/.test(offset.val) || !/^\d+$/.test(size.val)) return null;
    out.push({ offset: Number(offset.val), size: Number(size.val), at: { offset, size } });
  }
  return out;
}

const edit = (at: ArgValueAt, value: number): Edit => ({ start: at.start, end: at.end, text: String(value) });

/** The XML with each edit's range replaced (ASCII digits), every other byte as it was. */
function applyEdits(xml: Buffer, edits: Edit[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(xml.subarray(at, e.start), Buffer.from(e.text, 'latin1'));
    at = e.end;
  }
  parts.push(xml.subarray(at));
  return Buffer.concat(parts);
}

/** The new blob as a cabinet again, compressed as the client's was (MSZIP unless it was stored). */
function recompress(raw: Buffer, original: Buffer): Buffer {
  const dir = readCabinetDirectory(original).value;
  const file = dir?.files[0];
  const stored = dir?.folders[0]?.compression === 'none';
  return buildCabinet([{ name: file?.name ?? 'sqmdata', data: raw, attribs: file?.attribs, date: file?.date, time: file?.time }], { compression: stored ? 'none' : 'mszip' });
}
