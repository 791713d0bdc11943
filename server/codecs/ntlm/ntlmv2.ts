// MS-NLMP 3.3.2 NTLM v2: NTOWFv2 from MD4 and HMAC-MD5, the NTProofStr a server recomputes to check
// a client's NtChallengeResponse, and (for tests and clients built on the testing builders) the response itself.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { md4 } from './md4';

const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
};

/**
 * MS-NLMP 3.3.2: NTOWFv2(Passwd, User, UserDom) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom)).
 *
 * @example
 * ntowfV2('Password', 'User', 'Domain').toString('hex') // '0c868a403bfd7a93a3001ef22ef02e3f' (4.2.4.1.1)
 */
export const ntowfV2 = (password: string, user: string, domain: string): Buffer =>
  hmacMd5(md4(Buffer.from(password, 'utf16le')), Buffer.from(user.toUpperCase() + domain, 'utf16le'));

/** MS-NLMP 3.3.2: NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge + temp). */
export const ntProofStr = (responseKeyNt: Buffer, serverChallenge: Buffer, temp: Buffer): Buffer => hmacMd5(responseKeyNt, serverChallenge, temp);

/** What kind of NtChallengeResponse a client sent (MS-NLMP 2.2.2.6, 2.2.2.8; 3.2.5.1.2 for the anonymous form). */
export type NtResponseKind = 'ntlmv2' | 'ntlmv1' | 'anonymous';
export const ntResponseKind = (nt: Buffer): NtResponseKind => (nt.length === 0 ? 'anonymous' : nt.length === 24 ? 'ntlmv1' : 'ntlmv2');

/**
 * MS-NLMP 3.3.2 on the server: does the NTLMv2 response prove `password` for this user and domain
 * (as the client wrote them in the AUTHENTICATE_MESSAGE) against our ServerChallenge?
 */
export function verifyNtlmV2(a: { ntResponse: Buffer; user: string; domain: string }, serverChallenge: Buffer, password: string): boolean {
  if (a.ntResponse.length < 16 + 28) return false;
  const proof = ntProofStr(ntowfV2(password, a.user, a.domain), serverChallenge, a.ntResponse.subarray(16));
  return timingSafeEqual(proof, a.ntResponse.subarray(0, 16));
}

/**
 * MS-NLMP 3.3.2 on the client: NtChallengeResponse = NTProofStr + temp, where temp is
 * Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), ServerName (AV pairs), Z(4).
 */
export function ntlmV2Response(o: { password: string; user: string; domain: string; serverChallenge: Buffer; clientChallenge: Buffer; time: Buffer; targetInfo: Buffer }): Buffer {
  const temp = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(6), o.time, o.clientChallenge, Buffer.alloc(4), o.targetInfo, Buffer.alloc(4)]);
  return Buffer.concat([ntProofStr(ntowfV2(o.password, o.user, o.domain), o.serverChallenge, temp), temp]);
}

/** MS-NLMP 3.3.2: LMv2 = HMAC_MD5(ResponseKeyLM, ServerChallenge + ClientChallenge) + ClientChallenge. */
export const lmV2Response = (o: { password: string; user: string; domain: string; serverChallenge: Buffer; clientChallenge: Buffer }): Buffer =>
  Buffer.concat([hmacMd5(ntowfV2(o.password, o.user, o.domain), o.serverChallenge, o.clientChallenge), o.clientChallenge]);
