// NTLM inside HTTP Negotiate (RFC 4559, SPNEGO of RFC 4178): Windows sends the NTLM message raw
// (`Negotiate TlRMTVNT…`) or wrapped in a NegTokenInit/NegTokenResp. Finds the NTLM message in
// either, and wraps a CHALLENGE_MESSAGE in a NegTokenResp (accept-incomplete) for a wrapped client.

import { NTLMSSP_SIGNATURE } from './messages';

/** RFC 4178 4.1: the NTLMSSP mechanism, 1.3.6.1.4.1.311.2.2.10. */
const NTLMSSP_OID = Buffer.from('2b06010401823702020a', 'hex');

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER tag-length-value at `pos` (X.690 8.1), bounds-checked; null when it runs past `end`. */
function readTlv(buf: Buffer, pos: number, end: number): Tlv | null {
  if (pos + 2 > end) return null;
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > end) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  return start + len > end ? null : { tag, start, end: start + len };
}

function findNtlm(buf: Buffer, pos: number, end: number, depth: number): Buffer | null {
  while (pos < end && depth < 8) {
    const t = readTlv(buf, pos, end);
    if (!t) return null;
    const content = buf.subarray(t.start, t.end);
    if (t.tag === 0x04 && content.subarray(0, 8).equals(NTLMSSP_SIGNATURE)) return content;
    if (t.tag & 0x20) {
      const inner = findNtlm(buf, t.start, t.end, depth + 1);
      if (inner) return inner;
    }
    pos = t.end;
  }
  return null;
}

/** The NTLM message a Negotiate token carries, raw or in SPNEGO; null for anything else (Kerberos). */
export function ntlmInNegotiate(token: Buffer): { ntlm: Buffer; spnego: boolean } | null {
  if (token.subarray(0, 8).equals(NTLMSSP_SIGNATURE)) return { ntlm: token, spnego: false };
  const ntlm = token[0] === 0x60 || token[0] === 0xa1 ? findNtlm(token, 0, token.length, 0) : null;
  return ntlm ? { ntlm, spnego: true } : null;
}

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
};

/** RFC 4178 4.2.2 NegTokenResp { negState accept-incomplete, supportedMech NTLMSSP, responseToken }. */
export const spnegoChallenge = (challenge: Buffer): Buffer =>
  der(0xa1, der(0x30, der(0xa0, der(0x0a, Buffer.from([1]))), der(0xa1, der(0x06, NTLMSSP_OID)), der(0xa2, der(0x04, challenge))));

/** RFC 4178 4.2.2 NegTokenInit { mechTypes [NTLMSSP], mechToken } in its GSS-API framing (RFC 2743 3.1), as Windows sends a wrapped type 1. */
export const spnegoInit = (negotiate: Buffer): Buffer =>
  der(0x60, der(0x06, Buffer.from('2b0601050502', 'hex')), der(0xa0, der(0x30, der(0xa0, der(0x30, der(0x06, NTLMSSP_OID))), der(0xa2, der(0x04, negotiate)))));
