// CEIP data that is SQM (MS-CCEIP 1.3: the redirect passes the client's data on unchanged; on
// Windows that data is an SQM upload, MS-SQMCS 2.2.4 or an MS-SQMCS2 2.2.2 message): its sessions
// decoded and stored like SQM sessions, with the partner and `context.source: "ceip"`.

import { cabextractFallback, extractCabinetFile } from '../../cab';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { splitMessage } from '../../codecs/sqm-v2-message/framing';
import { readPayload, sliceOf } from '../../codecs/sqm-v2-message/payload';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import type { WireRequest } from '../../core/types';
import { sessionRow } from '../../sessions';
import { isV2Message, partnerOf } from '../../sessions/upload-path';
import type { CaptureRow, FindingRecord } from '../../store';

const MSQM = Buffer.from('MSQM', 'latin1');
const decompress = (data: Buffer, maxBytes: number) => extractCabinetFile(data, { maxBytes, fallback: cabextractFallback() });

export interface CeipSessions {
  rows: CaptureRow[];
  findings: FindingRecord[];
}

interface Found {
  bytes: Buffer;
  protocolVersion: 1 | 2;
  bodyOffset: number;
  /** Set when the bytes are not a slice of the request body (a compressed v2 payload). */
  own: boolean;
  key?: string;
}

/**
 * The SQM sessions in a CEIP body, as session rows (none when the body is not SQM).
 * `partner`: the SQM partner named by the partner URL's path (`/sqm/<partner>/sqmserver.dll`),
 * else the partner URL itself.
 */
export function ceipSessions(req: WireRequest, partnerUrl: string, o: { accepted: boolean; maxRawBytes: number }): CeipSessions {
  const out: CeipSessions = { rows: [], findings: [] };
  if (req.bodyTruncated) return out;
  const partner = sqmPartnerOf(partnerUrl) ?? partnerUrl;
  for (const [index, found] of sessionsIn(req, o.maxRawBytes).entries()) {
    const decoded = decodeSqmSession(found.bytes, { maxRawBytes: o.maxRawBytes, decompress });
    out.findings.push(...decoded.findings.map((f) => ({ ...f, protocol: 'ceip', sessionIndex: decoded.value ? index : undefined })));
    if (!decoded.value) continue;
    const context = { source: 'ceip', partnerUrl, ...(found.key !== undefined ? { key: found.key } : {}) };
    out.rows.push(
      sessionRow(decoded.value, {
        index,
        protocolVersion: found.protocolVersion,
        partner,
        accepted: o.accepted,
        bodyOffset: found.own ? 0 : found.bodyOffset,
        bodyLength: found.bytes.length,
        sessionBytes: found.own ? Buffer.from(found.bytes) : undefined,
        context,
      }),
    );
  }
  return out;
}

/** An SQM v1 session, or each dataupload slice of an SQM v2 message; nothing else. */
function sessionsIn(req: WireRequest, maxRawBytes: number): Found[] {
  if (req.body.subarray(0, 4).equals(MSQM)) return [{ bytes: req.body, protocolVersion: 1, bodyOffset: 0, own: false }];
  if (!isV2Message(req)) return [];
  const framed = splitMessage(req.body).value;
  const msg = framed ? parseTpxs(framed.xml).value : null;
  const blob = framed && msg ? readPayload(msg.payload, framed.payload, maxRawBytes).value : null;
  if (!framed || !msg || !blob) return [];
  const taken: [number, number][] = [];
  const found: Found[] = [];
  for (const r of msg.reqs) {
    if (r.cmd?.nm !== 'dataupload') continue;
    const slice = sliceOf(r.cmd.args, blob, taken).value;
    if (!slice) continue;
    taken.push(slice);
    const [offset, size] = slice;
    found.push({ bytes: blob.bytes.subarray(offset, offset + size), protocolVersion: 2, bodyOffset: 4 + framed.xml.length + offset, own: blob.compressed, key: r.key });
  }
  return found;
}

function sqmPartnerOf(partnerUrl: string): string | null {
  try {
    return partnerOf({ pathname: new URL(partnerUrl).pathname });
  } catch {
    return null;
  }
}
