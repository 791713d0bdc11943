// The relay's change to an SQM v2 dataupload message (MS-SQMCS2 3.3): every session in the payload
// augmented (augment.ts), laid end to end, and the XML's dataupload offset/size, the payload size
// and the length prefix rewritten. A compressed payload is sent on uncompressed (comp and
// precompsize removed). Anything it cannot parse is left for byte-for-byte forwarding (null).

import { XMLBuilder } from 'fast-xml-parser';
import { SAFE_XML_OPTIONS, safeXmlParser } from '../../wire/xml';
import { frameMessage, splitMessage } from '../../codecs/sqm-v2-message/framing';
import type { ExtractOptions } from '../../cab';
import { readPayload } from '../../codecs/sqm-v2-message/payload';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import { argValue } from '../../codecs/sqm-v2-message/types';
import { augmentSession, type RelayMark } from './augment';

// The tree is rebuilt by XMLBuilder with the same options, so values go back exactly as read.

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const nameOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node) => (n[nameOf(n)] as Node[]) ?? [];
const find = (nodes: Node[], name: string) => nodes.filter((n) => nameOf(n) === name);

export function augmentV2(body: Buffer, mark: RelayMark, maxRawBytes: number, fallback?: ExtractOptions['fallback']): Buffer | null {
  const framed = splitMessage(body).value;
  const msg = framed ? parseTpxs(framed.xml).value : null;
  if (!framed || !msg) return null;
  const uploads = msg.reqs.filter((r) => r.cmd?.nm === 'dataupload');
  if (uploads.length === 0) return null;
  const blob = readPayload(msg.payload, framed.payload, maxRawBytes, fallback).value;
  if (!blob) return null;
  // New layout: each referenced slice in offset order, augmented where it is a valid session.
  const slices = uploads.map((r) => ({ key: r.key, offset: Number(argValue(r.cmd!.args, 'offset')), size: Number(argValue(r.cmd!.args, 'size')) }));
  if (slices.some((s) => !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.size) || s.offset + s.size > blob.bytes.length)) return null;
  const moved = new Map<string, { offset: number; size: number }>();
  const parts: Buffer[] = [];
  let at = 0;
  for (const s of [...slices].sort((a, b) => a.offset - b.offset)) {
    const original = blob.bytes.subarray(s.offset, s.offset + s.size);
    const bytes = augmentSession(original, mark, maxRawBytes, fallback) ?? original;
    parts.push(bytes);
    moved.set(s.key, { offset: at, size: bytes.length });
    at += bytes.length;
  }
  const payload = Buffer.concat(parts);
  const xml = rewriteXml(framed.xml.toString('utf8'), moved, payload.length);
  return xml === null ? null : frameMessage(xml, payload);
}

function rewriteXml(xml: string, moved: Map<string, { offset: number; size: number }>, payloadSize: number): string | null {
  const tree = safeXmlParser().parse(xml) as Node[];
  const root = tree.find((n) => nameOf(n) === 'req');
  const reqs = root ? find(kids(root), 'tlm').flatMap((t) => find(kids(t), 'reqs')) : [];
  if (reqs.length !== 1) return null;
  for (const n of kids(reqs[0])) {
    if (nameOf(n) === 'payload') {
      const args = kids(n).filter((a) => nameOf(a) !== 'arg' || !['comp', 'precompsize'].includes(a[':@']?.nm ?? ''));
      (n as Record<string, unknown>).payload = args;
      setArg(args, 'size', String(payloadSize));
    }
    if (nameOf(n) === 'req') {
      const m = moved.get(n[':@']?.key ?? '');
      const cmd = find(kids(n), 'cmd')[0];
      if (m && cmd) {
        setArg(kids(cmd), 'offset', String(m.offset));
        setArg(kids(cmd), 'size', String(m.size));
      }
    }
  }
  return new XMLBuilder({ ...SAFE_XML_OPTIONS, suppressEmptyNode: true }).build(tree);
}

function setArg(args: Node[], nm: string, val: string): void {
  for (const a of args) if (nameOf(a) === 'arg' && a[':@']?.nm === nm) a[':@'] = { ...a[':@'], val };
}
