// The NTLM codec against MS-NLMP 4.2.4 (NTLMv2): the 4.2.4.3 CHALLENGE_MESSAGE encoded byte for byte,
// the 4.2.4.3 AUTHENTICATE_MESSAGE decoded and verified (4.2.4.1.1 NTOWFv2, 4.2.4.2.2 NTProofStr),
// SPNEGO-wrapped NTLM found, and bad bytes giving problems with their section, never throwing.

import { AV_ID, decodeAuthenticate, decodeAvPairs, decodeChallenge, decodeNegotiate, encodeAuthenticate, encodeAvPairs, encodeChallenge, NTLM_FLAGS } from './messages';
import { lmV2Response, ntlmV2Response, ntowfV2, ntResponseKind, verifyNtlmV2 } from './ntlmv2';
import { ntlmInNegotiate, spnegoChallenge, spnegoInit } from './spnego';
import { hex, SPEC, SPEC_AUTHENTICATE, SPEC_CHALLENGE, SPEC_NT_PROOF, SPEC_NTOWFV2 } from './vectors';

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const specTargetInfo = () => hex(SPEC_CHALLENGE).subarray(0x44);

describe('CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2)', () => {
  it('4.2.4.3: encoded from its parts, byte for byte', () => {
    const targetInfo = encodeAvPairs([
      [AV_ID.NB_DOMAIN, utf16('Domain')],
      [AV_ID.NB_COMPUTER, utf16('Server')],
    ]);
    expect(targetInfo).toEqual(specTargetInfo());
    const bytes = encodeChallenge({ flags: 0xe28a8233, targetName: 'Server', challenge: hex(SPEC.serverChallenge), targetInfo, version: hex('060070170000000f') });
    expect(bytes.toString('hex')).toBe(SPEC_CHALLENGE);
  });

  it('4.2.4.3: decoded, and encode(decode(x)) = x', () => {
    const m = decodeChallenge(hex(SPEC_CHALLENGE));
    expect(m.value).toMatchObject({ flags: 0xe28a8233, targetName: 'Server', challenge: hex(SPEC.serverChallenge) });
    expect(decodeAvPairs(m.value!.targetInfo)).toEqual([
      [AV_ID.NB_DOMAIN, utf16('Domain')],
      [AV_ID.NB_COMPUTER, utf16('Server')],
    ]);
    expect(encodeChallenge(m.value!).toString('hex')).toBe(SPEC_CHALLENGE);
  });
});

describe('AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3) and NTLMv2 (3.3.2)', () => {
  it('4.2.4.3: user, domain and workstation decoded; the responses where the dump has them', () => {
    const a = decodeAuthenticate(hex(SPEC_AUTHENTICATE)).value!;
    expect(a).toMatchObject({ flags: 0xe2888235, user: 'User', domain: 'Domain', workstation: 'COMPUTER' });
    expect(a.lmResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(a.ntResponse.subarray(0, 16).toString('hex')).toBe(SPEC_NT_PROOF);
    expect(a.sessionKey.toString('hex')).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
    expect(ntResponseKind(a.ntResponse)).toBe('ntlmv2');
  });

  it('4.2.4.1.1 NTOWFv2, 4.2.4.2.1 LMv2 and 4.2.4.2.2 NTProofStr from the 4.2.1 values', () => {
    expect(ntowfV2(SPEC.password, SPEC.user, SPEC.domain).toString('hex')).toBe(SPEC_NTOWFV2);
    const o = { ...SPEC, serverChallenge: hex(SPEC.serverChallenge), clientChallenge: hex(SPEC.clientChallenge) };
    expect(lmV2Response(o).toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    const nt = ntlmV2Response({ ...o, time: Buffer.alloc(8), targetInfo: specTargetInfo() });
    expect(nt).toEqual(decodeAuthenticate(hex(SPEC_AUTHENTICATE)).value!.ntResponse);
  });

  it.each([
    ['the 4.2.1 password', 'Password', '0123456789abcdef', true],
    ['another password', 'Passw0rd', '0123456789abcdef', false],
    ['another server challenge (a replay)', 'Password', '0123456789abcdee', false],
  ])('verifyNtlmV2 on the 4.2.4.3 message, %s → %s', (_n, password, challenge, ok) => {
    const a = decodeAuthenticate(hex(SPEC_AUTHENTICATE)).value!;
    expect(verifyNtlmV2(a, hex(challenge), password)).toBe(ok);
  });

  it('encodeAuthenticate round-trips through decodeAuthenticate', () => {
    const a = decodeAuthenticate(hex(SPEC_AUTHENTICATE)).value!;
    const again = decodeAuthenticate(encodeAuthenticate(a)).value!;
    expect(again).toEqual(a);
  });
});

describe('NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1)', () => {
  it.each([
    ['curl 7.88 (32 bytes)', 'TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=', 0x00088206],
    ['Windows (40 bytes, with Version)', 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==', 0xa2088207],
    ['16 bytes, no optional fields', Buffer.from('4e544c4d5353500001000000010200a0', 'hex').toString('base64'), 0xa0000201],
  ])('%s', (_n, b64, flags) => {
    expect(decodeNegotiate(Buffer.from(b64, 'base64')).value).toMatchObject({ flags });
  });
});

describe('bad bytes: a problem with its section, never a throw', () => {
  const spec = hex(SPEC_AUTHENTICATE);
  const pointingPast = Buffer.from(spec);
  pointingPast.writeUInt32LE(0x1000, 40); // UserNameFields.BufferOffset
  it.each([
    ['empty', Buffer.alloc(0), decodeAuthenticate, 'MS-NLMP 2.2.1'],
    ['not NTLMSSP', Buffer.from('YIIGhgYGKwYBBQUCoIIGejCCBnag', 'base64'), decodeNegotiate, 'MS-NLMP 2.2.1'],
    ['a type 3 where a type 1 belongs', spec, decodeNegotiate, 'MS-NLMP 2.2.1.1'],
    ['a type 1 where a type 3 belongs', Buffer.from('TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=', 'base64'), decodeAuthenticate, 'MS-NLMP 2.2.1.3'],
    ['cut at 40 bytes', spec.subarray(0, 40), decodeAuthenticate, 'MS-NLMP 2.2.1.3'],
    ['UserName pointing past the end', pointingPast, decodeAuthenticate, 'MS-NLMP 2.2.1.3'],
    ['a challenge cut short', hex(SPEC_CHALLENGE).subarray(0, 60), decodeChallenge, 'MS-NLMP 2.2.1.2'],
  ] as [string, Buffer, (b: Buffer) => { problem?: { specRef: string } }, string][])('%s', (_n, bytes, decode, specRef) => {
    expect(decode(bytes).problem?.specRef).toBe(specRef);
  });
});

describe('NTLM inside Negotiate (RFC 4559, RFC 4178)', () => {
  const type1 = Buffer.from('TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==', 'base64');
  it('raw NTLMSSP, as Windows sends it', () => expect(ntlmInNegotiate(type1)).toEqual({ ntlm: type1, spnego: false }));
  it('wrapped in a NegTokenInit', () => expect(ntlmInNegotiate(spnegoInit(type1))).toEqual({ ntlm: type1, spnego: true }));
  it('a challenge in a NegTokenResp is found again', () => {
    const c = hex(SPEC_CHALLENGE);
    const w = spnegoChallenge(c);
    expect([w[0], w[1], w[2]]).toEqual([0xa1, 0x81, w.length - 3]); // [1] with a one-byte long-form length
    expect(ntlmInNegotiate(spnegoChallenge(c))?.ntlm).toEqual(c);
  });
  it('a Kerberos token (no NTLMSSP) and cut DER give null', () => {
    const krb = Buffer.from('YIIGhgYGKwYBBQUCoIIGejCCBnag', 'base64');
    expect(ntlmInNegotiate(krb)).toBeNull();
    expect(ntlmInNegotiate(spnegoInit(type1).subarray(0, 20))).toBeNull();
  });
  it('flag constants', () => expect(NTLM_FLAGS.UNICODE | NTLM_FLAGS.NTLM).toBe(0x201));
});
