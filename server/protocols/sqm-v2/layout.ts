// Byte ranges of an SQM v2 message as sent (GET /__admin/requests/:id/layout): RequestMessageLength,
// the XML request with its elements and args, the payload and each dataupload's slice of it
// (MS-SQMCS2 2.2.2.1, 2.2.2.16.2). The sessions in the slices come from the sessions module.

import { splitMessage } from '../../codecs/sqm-v2-message/framing';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import { argValue } from '../../codecs/sqm-v2-message/types';
import type { LayoutPart } from '../../core/module';
import { u32Text, type ByteRange } from '../../wire/layout';
import { xmlLayout } from '../../wire/xml-layout';

export function v2MessageLayout(body: Buffer): LayoutPart | undefined {
  if (body.length < 4) return undefined;
  const ranges: ByteRange[] = [{ path: 'requestMessageLength', label: 'RequestMessageLength', start: 0, end: 4, depth: 0, value: u32Text(body.readUInt32LE(0)) }];
  const framed = splitMessage(body).value;
  if (!framed) return { ranges };
  const xmlEnd = 4 + framed.xml.length;
  ranges.push({ path: 'xml', label: 'XML request (MS-SQMCS2 2.2.2)', start: 4, end: xmlEnd, depth: 0, value: `${framed.xml.length} bytes` });
  ranges.push(...xmlLayout(framed.xml.toString('utf8'), { base: 4, encoding: 'utf8', prefix: 'xml', depth: 1 }));
  if (framed.payload.length === 0) return { ranges };
  const message = parseTpxs(framed.xml).value;
  const compressed = message?.payload?.some((a) => a.nm === 'comp') ?? false;
  const what = `${framed.payload.length} bytes${compressed ? ', a cabinet (comp): its slices are in the decompressed blob' : ''}`;
  ranges.push({ path: 'payload', label: 'Payload', start: xmlEnd, end: body.length, depth: 0, value: what });
  if (compressed) return { ranges };
  for (const req of message?.reqs ?? []) {
    if (req.cmd?.nm !== 'dataupload') continue;
    const offset = Number(argValue(req.cmd.args, 'offset'));
    const size = Number(argValue(req.cmd.args, 'size'));
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > framed.payload.length) continue;
    const start = xmlEnd + offset;
    ranges.push({ path: `payload.req[${req.key}]`, label: `Slice of req ${req.key}`, start, end: start + size, depth: 1, value: `offset ${offset}, size ${size}` });
  }
  return { ranges };
}
