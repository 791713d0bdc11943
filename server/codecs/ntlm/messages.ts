// MS-NLMP 2.2 NTLM messages: NEGOTIATE_MESSAGE (2.2.1.1) and AUTHENTICATE_MESSAGE (2.2.1.3) decoded,
// CHALLENGE_MESSAGE (2.2.1.2) encoded (and decoded, for round trips), AV_PAIR lists (2.2.2.1).
// Decoding never throws: a message that cannot be read gives a problem naming the section and offset.

import { ByteReader } from '../../wire/reader';

/** MS-NLMP 2.2.1: every message starts with "NTLMSSP\0". */
export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** MS-NLMP 2.2.2.5 NEGOTIATE flags used here. */
export const NTLM_FLAGS = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  IDENTIFY: 0x00100000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  N128: 0x20000000,
  KEY_EXCH: 0x40000000,
  N56: 0x80000000,
} as const;

/** MS-NLMP 2.2.2.1 AvId values. */
export const AV_ID = { EOL: 0, NB_COMPUTER: 1, NB_DOMAIN: 2, DNS_COMPUTER: 3, DNS_DOMAIN: 4, FLAGS: 6, TIMESTAMP: 7 } as const;

export interface NtlmProblem {
  specRef: string;
  message: string;
  offset?: number;
}
export type NtlmDecoded<T> = { value: T; problem?: undefined } | { value: null; problem: NtlmProblem };

const fail = (section: string, message: string, offset?: number): { value: null; problem: NtlmProblem } => ({
  value: null,
  problem: { specRef: `MS-NLMP ${section}`, message, offset },
});

/** The MessageType of an NTLM message (1, 2, 3), or a problem when it does not start like one. */
export function ntlmMessageType(buf: Buffer): NtlmDecoded<number> {
  if (buf.length < 12 || !buf.subarray(0, 8).equals(NTLMSSP_SIGNATURE))
    return fail('2.2.1', `the token does not start with "NTLMSSP\\0" (${buf.subarray(0, 8).toString('hex') || 'empty'})`, 0);
  return { value: buf.readUInt32LE(8) };
}

/** A payload field (Len, MaxLen, BufferOffset) at `at`, read from the message; a problem when it runs past the end. */
function field(buf: Buffer, at: number, name: string, section: string): NtlmDecoded<Buffer> {
  const r = new ByteReader(buf, at);
  const len = r.u16();
  r.u16();
  const offset = r.u32();
  if (len === undefined || offset === undefined) return fail(section, `the message ends inside ${name}Fields (offset ${at}, ${buf.length} bytes)`, at);
  if (len === 0) return { value: Buffer.alloc(0) };
  if (offset + len > buf.length) return fail(section, `${name}Fields points at bytes ${offset}..${offset + len}, past the end of the ${buf.length}-byte message`, at);
  return { value: buf.subarray(offset, offset + len) };
}

const text = (b: Buffer, flags: number): string => (flags & NTLM_FLAGS.UNICODE ? b.toString('utf16le') : b.toString('latin1'));
const encodeText = (s: string, flags: number): Buffer => Buffer.from(s, flags & NTLM_FLAGS.UNICODE ? 'utf16le' : 'latin1');

export interface NegotiateMessage {
  flags: number;
  domain: string;
  workstation: string;
}

/** MS-NLMP 2.2.1.1: the flags and (OEM) domain and workstation a client may supply. */
export function decodeNegotiate(buf: Buffer): NtlmDecoded<NegotiateMessage> {
  const type = ntlmMessageType(buf);
  if (type.problem) return type;
  if (type.value !== 1) return fail('2.2.1.1', `MessageType is ${type.value}, expected 1 (NEGOTIATE_MESSAGE)`, 8);
  if (buf.length < 16) return fail('2.2.1.1', `the message is ${buf.length} bytes, too short for NegotiateFlags`, 12);
  const flags = buf.readUInt32LE(12);
  // Fields past the flags are optional (older clients send 16 bytes); read them only when present.
  const opt = (at: number, name: string) => (buf.length >= at + 8 ? field(buf, at, name, '2.2.1.1') : { value: Buffer.alloc(0) });
  const domain = opt(16, 'DomainName');
  if (domain.problem) return domain;
  const workstation = opt(24, 'Workstation');
  if (workstation.problem) return workstation;
  return { value: { flags, domain: domain.value.toString('latin1'), workstation: workstation.value.toString('latin1') } };
}

export interface ChallengeMessage {
  flags: number;
  targetName: string;
  /** ServerChallenge, 8 bytes. */
  challenge: Buffer;
  targetInfo: Buffer;
  /** VERSION (2.2.2.10), 8 bytes, written when NTLMSSP_NEGOTIATE_VERSION is set. */
  version?: Buffer;
}

/** MS-NLMP 2.2.1.2: header of 56 bytes (with Version), then TargetName and TargetInfo. */
export function encodeChallenge(m: ChallengeMessage): Buffer {
  const name = encodeText(m.targetName, m.flags);
  const head = Buffer.alloc(56);
  NTLMSSP_SIGNATURE.copy(head, 0);
  head.writeUInt32LE(2, 8);
  const writeField = (at: number, len: number, offset: number) => {
    head.writeUInt16LE(len, at);
    head.writeUInt16LE(len, at + 2);
    head.writeUInt32LE(offset, at + 4);
  };
  writeField(12, name.length, 56);
  head.writeUInt32LE(m.flags >>> 0, 20);
  m.challenge.copy(head, 24, 0, 8);
  writeField(40, m.targetInfo.length, 56 + name.length);
  (m.version ?? Buffer.alloc(8)).copy(head, 48, 0, 8);
  return Buffer.concat([head, name, m.targetInfo]);
}

/** MS-NLMP 2.2.1.2, read back (tests, and clients built on the package's testing builders). */
export function decodeChallenge(buf: Buffer): NtlmDecoded<ChallengeMessage> {
  const type = ntlmMessageType(buf);
  if (type.problem) return type;
  if (type.value !== 2) return fail('2.2.1.2', `MessageType is ${type.value}, expected 2 (CHALLENGE_MESSAGE)`, 8);
  if (buf.length < 48) return fail('2.2.1.2', `the message is ${buf.length} bytes, shorter than the 48-byte header`, 0);
  const flags = buf.readUInt32LE(20);
  const name = field(buf, 12, 'TargetName', '2.2.1.2');
  if (name.problem) return name;
  const info = field(buf, 40, 'TargetInfo', '2.2.1.2');
  if (info.problem) return info;
  const version = buf.length >= 56 && flags & NTLM_FLAGS.VERSION ? Buffer.from(buf.subarray(48, 56)) : undefined;
  return { value: { flags, targetName: text(name.value, flags), challenge: Buffer.from(buf.subarray(24, 32)), targetInfo: Buffer.from(info.value), version } };
}

export interface AuthenticateMessage {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  /** The raw UTF-16LE (or OEM) bytes of UserName and DomainName, as the client hashed them (3.3.2). */
  userBytes: Buffer;
  domainBytes: Buffer;
  sessionKey: Buffer;
}

/** The fixed part of an AUTHENTICATE_MESSAGE: six payload fields, then NegotiateFlags at 60 (2.2.1.3). */
const AUTH_FIELDS = [12, 20, 28, 36, 44, 52] as const;

/** MS-NLMP 2.2.1.3: the responses and who the client says it is. */
export function decodeAuthenticate(buf: Buffer): NtlmDecoded<AuthenticateMessage> {
  const type = ntlmMessageType(buf);
  if (type.problem) return type;
  if (type.value !== 3) return fail('2.2.1.3', `MessageType is ${type.value}, expected 3 (AUTHENTICATE_MESSAGE)`, 8);
  if (buf.length < 64) return fail('2.2.1.3', `the message is ${buf.length} bytes, shorter than the 64-byte header`, 0);
  const names = ['LmChallengeResponse', 'NtChallengeResponse', 'DomainName', 'UserName', 'Workstation', 'EncryptedRandomSessionKey'];
  const parts: Buffer[] = [];
  for (let i = 0; i < AUTH_FIELDS.length; i++) {
    const f = field(buf, AUTH_FIELDS[i], names[i], '2.2.1.3');
    if (f.problem) return f;
    parts.push(Buffer.from(f.value));
  }
  const flags = buf.readUInt32LE(60);
  const [lmResponse, ntResponse, domainBytes, userBytes, ws, sessionKey] = parts;
  return {
    value: { flags, lmResponse, ntResponse, domain: text(domainBytes, flags), user: text(userBytes, flags), workstation: text(ws, flags), userBytes, domainBytes, sessionKey },
  };
}

/** MS-NLMP 2.2.1.3 written (the testing builders and tests): header of 72 bytes (with Version), payload in field order. */
export function encodeAuthenticate(m: Omit<AuthenticateMessage, 'userBytes' | 'domainBytes'> & { version?: Buffer }): Buffer {
  const payload = [m.lmResponse, m.ntResponse, encodeText(m.domain, m.flags), encodeText(m.user, m.flags), encodeText(m.workstation, m.flags), m.sessionKey];
  const head = Buffer.alloc(72);
  NTLMSSP_SIGNATURE.copy(head, 0);
  head.writeUInt32LE(3, 8);
  let offset = head.length;
  payload.forEach((p, i) => {
    head.writeUInt16LE(p.length, AUTH_FIELDS[i]);
    head.writeUInt16LE(p.length, AUTH_FIELDS[i] + 2);
    head.writeUInt32LE(offset, AUTH_FIELDS[i] + 4);
    offset += p.length;
  });
  head.writeUInt32LE(m.flags >>> 0, 60);
  (m.version ?? Buffer.alloc(8)).copy(head, 64, 0, 8);
  return Buffer.concat([head, ...payload]);
}

/** MS-NLMP 2.2.2.1: AvId, AvLen, Value, ending with MsvAvEOL. */
export function encodeAvPairs(pairs: readonly [number, Buffer][]): Buffer {
  const parts: Buffer[] = [];
  for (const [id, value] of [...pairs, [AV_ID.EOL, Buffer.alloc(0)] as [number, Buffer]]) {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(id, 0);
    h.writeUInt16LE(value.length, 2);
    parts.push(h, value);
  }
  return Buffer.concat(parts);
}

/** MS-NLMP 2.2.2.1 read: the pairs before MsvAvEOL (a list cut short ends where the bytes do). */
export function decodeAvPairs(buf: Buffer): [number, Buffer][] {
  const r = new ByteReader(buf);
  const out: [number, Buffer][] = [];
  for (;;) {
    const id = r.u16();
    const len = r.u16();
    if (id === undefined || len === undefined || id === AV_ID.EOL) return out;
    const value = r.bytes(len);
    if (value === undefined) return out;
    out.push([id, Buffer.from(value)]);
  }
}
