// SQM v2 framing (MS-SQMCS2 2.2.2.1): a 4-byte little-endian RequestMessageLength, the XML
// request, then the optional binary payload. Pure: bytes in, parts or findings out.

import { Findings, type Finding } from '../../wire/findings';
import { report } from './rules';

/** MS-SQMCS2: our limit on the XML part (INTERFACE.md "Decisions on SQM v2"). */
export const XML_LIMIT = 1 << 20;

export interface Framed {
  xml: Buffer;
  payload: Buffer;
}

/**
 * True when the body looks like a v2 message rather than a v1 session (which starts with `MSQM`):
 * XML after 4 bytes. The length itself is not trusted here, so a bad length prefix is a malformed
 * v2 message (200, empty body, violation; INTERFACE.md) rather than a bad v1 session.
 */
export function looksLikeV2(body: Buffer): boolean {
  // After the 4 length bytes: an optional UTF-8 BOM and a little white space, then '<'.
  const head = body.subarray(4, 4 + 64).toString('latin1');
  return /^(\xEF\xBB\xBF)?[ \t\r\n]*</.test(head);
}

export function splitMessage(body: Buffer): { value: Framed | null; findings: Finding[] } {
  const f = new Findings();
  if (body.length < 4) {
    report(f, 'sqm-v2.framing', `body is ${body.length} bytes: too short for the 4-byte RequestMessageLength`, { offset: 0 });
    return { value: null, findings: f.list };
  }
  const n = body.readUInt32LE(0);
  if (n > XML_LIMIT) {
    report(f, 'sqm-v2.xml-limit', `RequestMessageLength ${n} is over the XML limit of ${XML_LIMIT} bytes`, { offset: 0 });
    return { value: null, findings: f.list };
  }
  if (n === 0 || n > body.length - 4) {
    report(f, 'sqm-v2.framing', `RequestMessageLength ${n} does not fit the ${body.length - 4} bytes after it`, { offset: 0 });
    return { value: null, findings: f.list };
  }
  return { value: { xml: body.subarray(4, 4 + n), payload: body.subarray(4 + n) }, findings: f.list };
}

/** Builds a v2 body (for tests and the relay): length prefix, XML, payload. */
export function frameMessage(xml: string | Buffer, payload: Buffer = Buffer.alloc(0)): Buffer {
  const x = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const head = Buffer.alloc(4);
  head.writeUInt32LE(x.length, 0);
  return Buffer.concat([head, x, payload]);
}
