// The mock's CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2, 3.2.5.1.1): flags answering the client's type 1,
// TargetName and TargetInfo naming the mock's domain and server (and the time, MsvAvTimestamp).

import { AV_ID, encodeAvPairs, encodeChallenge, NTLM_FLAGS as F } from '../../codecs/ntlm/messages';
import { filetimeFromMs } from '../../wire/filetime';

/** The names the mock gives itself in TargetInfo (MS-NLMP 2.2.2.1). */
export const MOCK_TARGET = { nbDomain: 'MOCK', nbComputer: 'SQMCERMOCK', dnsDomain: 'mock.test', dnsComputer: 'sqmcermock.mock.test' };

/** MS-NLMP 2.2.2.10: a Windows-shaped VERSION (6.1 build 7601), NTLMSSP_REVISION_W2K3 (15). */
const VERSION = Buffer.from('0601b11d0000000f', 'hex');

/** Flags a server echoes when the client asked for them (3.2.5.1.1); the rest it sets itself. */
const ECHOED = F.EXTENDED_SESSIONSECURITY | F.SIGN | F.SEAL | F.ALWAYS_SIGN | F.N128 | F.N56 | F.KEY_EXCH | F.IDENTIFY;

/** The type 2 answering a type 1 with `clientFlags`, carrying `challenge` (8 bytes) and the mock's time. */
export function buildChallenge(clientFlags: number, challenge: Buffer, now: Date): Buffer {
  // 3.2.5.1.1: Unicode when the client offers it, OEM otherwise; a domain target with TargetInfo.
  const charset = clientFlags & F.UNICODE ? F.UNICODE : F.OEM;
  const flags = (charset | F.REQUEST_TARGET | F.NTLM | F.TARGET_TYPE_DOMAIN | F.TARGET_INFO | F.VERSION | (clientFlags & ECHOED)) >>> 0;
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(filetimeFromMs(now.getTime()));
  const u = (s: string) => Buffer.from(s, 'utf16le');
  // TargetInfo's names are always UTF-16LE (2.2.2.1), whatever the charset of TargetName.
  const targetInfo = encodeAvPairs([
    [AV_ID.NB_DOMAIN, u(MOCK_TARGET.nbDomain)],
    [AV_ID.NB_COMPUTER, u(MOCK_TARGET.nbComputer)],
    [AV_ID.DNS_DOMAIN, u(MOCK_TARGET.dnsDomain)],
    [AV_ID.DNS_COMPUTER, u(MOCK_TARGET.dnsComputer)],
    [AV_ID.TIMESTAMP, time],
  ]);
  return encodeChallenge({ flags, targetName: MOCK_TARGET.nbDomain, challenge, targetInfo, version: VERSION });
}
