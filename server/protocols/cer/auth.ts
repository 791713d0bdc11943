// CER authentication (MS-CER2 1.7, 2.1; scenario keys cer.requireAuth and cer.credentials): the 401 offers every
// configured scheme, NTLM (raw or inside Negotiate, RFC 4559) runs its three legs on one connection
// (MS-NLMP 1.3.1.1): type 1 → 401 with a CHALLENGE_MESSAGE, type 3 decoded and, with credentials,
// its NTLMv2 response verified (3.2.5.1.2, 3.3.2); Basic (RFC 7617) decoded and checked the same way.

import type { Answer, RequestHead } from '../../core/types';
import type { FindingRecord } from '../../store';
import { decodeAuthenticate, decodeNegotiate, ntlmMessageType, type AuthenticateMessage } from '../../codecs/ntlm/messages';
import { ntResponseKind, verifyNtlmV2 } from '../../codecs/ntlm/ntlmv2';
import { ntlmInNegotiate, spnegoChallenge } from '../../codecs/ntlm/spnego';
import { CONTENT_TYPE } from './answer';
import type { AuthConnections, AuthIdentity } from './auth-connections';
import { buildChallenge } from './auth-challenge';
import { findingFor, type CerRule } from './rules';
import type { CerCredential } from './schema';

const OFFER = { negotiate: 'Negotiate', ntlm: 'NTLM', basic: 'Basic realm="sqm-cer-mock"' } as const;
export type AuthScheme = keyof typeof OFFER;

export interface AuthOptions {
  schemes: readonly AuthScheme[];
  credentials?: readonly CerCredential[];
  /** The listener serves HTTPS (MS-CER2 note <1>: Windows authenticates over HTTPS). */
  tls: boolean;
  seed: number;
  now: Date;
  protocol: string;
}

export interface AuthOutcome {
  /** The 401 to send, or null: go on with the request. */
  challenge: Answer | null;
  findings: FindingRecord[];
  /** Who the request authenticated as, stored with it. */
  identity?: AuthIdentity;
}

type Problem = { rule: CerRule; message: string; specRef?: string };

const answer401 = (why: string, offers: string[]): Answer => ({
  status: 401,
  headers: { 'content-type': CONTENT_TYPE, 'www-authenticate': offers.length === 1 ? offers[0] : offers },
  body: Buffer.from(`${why}\n`, 'latin1'),
  reason: why,
});

/** The request's Authorization, checked against `o.schemes`; the connection's state moves on. */
export function authenticate(req: RequestHead, conns: AuthConnections, o: AuthOptions): AuthOutcome {
  const connection = req.connectionId ?? req.remoteAddress ?? 'unknown';
  const tag = (ps: Problem[]): FindingRecord[] => ps.map((p) => ({ ...findingFor(p.rule, p.message, p.specRef ? { specRef: p.specRef } : undefined), protocol: o.protocol }));
  const offer = (why: string, problems: Problem[] = []): AuthOutcome => ({
    challenge: answer401(
      why,
      o.schemes.map((s) => OFFER[s]),
    ),
    findings: tag(problems),
  });
  const header = String(req.headers.authorization ?? '').trim();
  if (!header) {
    const known = conns.identityOf(connection);
    // MS-NLMP 1.3.1.1: an NTLM-authenticated connection stays authenticated (IIS's default); Basic is per request.
    if (known) return { challenge: null, findings: [], identity: known };
    return offer(`authentication required: send Authorization with ${o.schemes.map((s) => OFFER[s].split(' ')[0]).join(' or ')} (scenario cer.requireAuth)`);
  }
  const [schemeName, token = ''] = header.split(/\s+/, 2);
  const scheme = schemeName.toLowerCase() as AuthScheme;
  if (!o.schemes.includes(scheme)) return offer(`the ${schemeName} scheme is not offered here; offered: ${o.schemes.map((s) => OFFER[s].split(' ')[0]).join(', ')}`);
  const plain: Problem[] = o.tls
    ? []
    : [
        {
          rule: 'cer.auth-plain-http',
          message: `${OFFER[scheme].split(' ')[0]} credentials sent over plain HTTP; Windows clients authenticate over HTTPS (MS-CER2 note <1> to 1.4)`,
        },
      ];
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(token) ? Buffer.from(token, 'base64') : null;
  if (!bytes?.length)
    return offer(`the ${schemeName} token is missing or not base64`, [
      {
        rule: 'cer.auth-token',
        message: `Authorization: ${schemeName} carries no base64 token ("${token.slice(0, 40)}")`,
        specRef: scheme === 'basic' ? 'RFC 7617 2' : 'RFC 4559 4',
      },
    ]);
  if (scheme === 'basic') return basic(bytes, o, plain, offer, tag);
  const inner = scheme === 'negotiate' ? ntlmInNegotiate(bytes) : { ntlm: bytes, spnego: false };
  if (!inner) {
    // RFC 4559 4: a Kerberos token; the mock has no KDC, so it can only take it on trust.
    if (o.credentials)
      return offer('a Kerberos token cannot be verified against cer.credentials', [
        { rule: 'cer.auth-credentials', message: 'a Negotiate token without NTLM (Kerberos) cannot be checked against cer.credentials', specRef: 'RFC 4559 4' },
      ]);
    const who = { scheme: 'Negotiate-Kerberos', user: '', domain: '', workstation: null, verified: null };
    return {
      challenge: null,
      findings: tag([...plain, { rule: 'cer.auth-unverified', message: 'a Negotiate token that is not NTLM (Kerberos) was accepted unread', specRef: 'RFC 4559 4' }]),
      identity: who,
    };
  }
  const type = ntlmMessageType(inner.ntlm);
  if (type.value === 1) return negotiateLeg(inner.ntlm, { scheme: OFFER[scheme], spnego: inner.spnego, connection }, conns, o, offer);
  if (type.value === 3) return authenticateLeg(inner.ntlm, { scheme: OFFER[scheme], connection }, conns, o, { offer, tag, plain });
  const why = type.problem?.message ?? `MessageType ${type.value}: a client sends 1 (NEGOTIATE) or 3 (AUTHENTICATE)`;
  return offer(`the ${schemeName} token is not an NTLM message a client sends`, [{ rule: 'cer.auth-token', message: why, specRef: type.problem?.specRef ?? 'MS-NLMP 2.2.1' }]);
}

type Offer = (why: string, problems?: Problem[]) => AuthOutcome;

/** Leg 1 → 2: MS-NLMP 3.2.5.1.1, a CHALLENGE_MESSAGE with a fresh ServerChallenge, remembered for this connection. */
function negotiateLeg(ntlm: Buffer, leg: { scheme: string; spnego: boolean; connection: string }, conns: AuthConnections, o: AuthOptions, offer: Offer): AuthOutcome {
  const n = decodeNegotiate(ntlm);
  if (n.problem) return offer('the NEGOTIATE_MESSAGE could not be read', [{ rule: 'cer.auth-token', message: n.problem.message, specRef: n.problem.specRef }]);
  const challenge = conns.nextChallenge(o.seed);
  const type2 = buildChallenge(n.value.flags, challenge, o.now);
  conns.challengeSent(leg.connection, { challenge, scheme: leg.scheme, spnego: leg.spnego });
  const token = (leg.spnego ? spnegoChallenge(type2) : type2).toString('base64');
  return { challenge: answer401('NTLM CHALLENGE_MESSAGE: answer with the AUTHENTICATE_MESSAGE on this connection', [`${leg.scheme} ${token}`]), findings: [] };
}

/** Leg 3: MS-NLMP 3.2.5.1.2, the AUTHENTICATE_MESSAGE against the challenge this connection was sent. */
function authenticateLeg(
  ntlm: Buffer,
  leg: { scheme: string; connection: string },
  conns: AuthConnections,
  o: AuthOptions,
  k: { offer: Offer; tag: (ps: Problem[]) => FindingRecord[]; plain: Problem[] },
): AuthOutcome {
  const pending = conns.takeChallenge(leg.connection);
  const a = decodeAuthenticate(ntlm);
  if (a.problem) return k.offer('the AUTHENTICATE_MESSAGE could not be read', [{ rule: 'cer.auth-token', message: a.problem.message, specRef: a.problem.specRef }]);
  const problems = [...k.plain];
  if (!pending)
    problems.push({
      rule: 'cer.auth-no-challenge',
      message: `an AUTHENTICATE_MESSAGE from ${a.value.domain}\\${a.value.user} on a connection that was sent no CHALLENGE_MESSAGE (a new connection, or a second type 3)`,
    });
  let verified: boolean | null = null;
  if (o.credentials) {
    const why = pending ? ntlmMismatch(a.value, pending.challenge, o.credentials) : 'no challenge on this connection to check the response against';
    if (why) return k.offer('NTLM authentication failed', [...problems, { rule: 'cer.auth-credentials', message: why }]);
    verified = true;
  }
  const who: AuthIdentity = { scheme: leg.scheme, user: a.value.user, domain: a.value.domain, workstation: a.value.workstation, verified };
  conns.authenticatedAs(leg.connection, who);
  return { challenge: null, findings: k.tag(problems), identity: who };
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const fits = (c: CerCredential, user: string, domain: string): boolean => same(c.user, user) && (c.domain === undefined || same(c.domain, domain));

/** Why the response does not prove a configured password (null when it does). */
function ntlmMismatch(a: AuthenticateMessage, challenge: Buffer, credentials: readonly CerCredential[]): string | null {
  const kind = ntResponseKind(a.ntResponse);
  if (kind !== 'ntlmv2')
    return `${a.domain}\\${a.user} sent an ${kind === 'ntlmv1' ? 'NTLMv1 (24-byte)' : 'anonymous (empty)'} NtChallengeResponse; only NTLMv2 is verified (MS-NLMP 3.3.2)`;
  const candidates = credentials.filter((c) => fits(c, a.user, a.domain));
  if (candidates.length === 0) return `no cer.credentials entry for ${a.domain}\\${a.user}`;
  return candidates.some((c) => verifyNtlmV2(a, challenge, c.password))
    ? null
    : `the NTLMv2 response of ${a.domain}\\${a.user} does not prove the configured password (NTProofStr differs)`;
}

/** RFC 7617 2: base64 of user-id ":" password; a user-id `DOMAIN\user` names the domain as Windows clients write it. */
function basic(bytes: Buffer, o: AuthOptions, plain: Problem[], offer: Offer, tag: (ps: Problem[]) => FindingRecord[]): AuthOutcome {
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0)
    return offer('the Basic credentials have no ":"', [
      { rule: 'cer.auth-token', message: 'the decoded Basic token has no ":" between user-id and password', specRef: 'RFC 7617 2' },
    ]);
  const id = text.slice(0, colon);
  const slash = id.indexOf('\\');
  const [domain, user] = slash < 0 ? ['', id] : [id.slice(0, slash), id.slice(slash + 1)];
  const password = text.slice(colon + 1);
  if (o.credentials && !o.credentials.some((c) => fits(c, user, domain) && c.password === password)) {
    return offer('Basic authentication failed', [
      ...plain,
      { rule: 'cer.auth-credentials', message: `the Basic password of ${id} is not the one cer.credentials gives (or no entry names ${id})`, specRef: 'RFC 7617 2' },
    ]);
  }
  return { challenge: null, findings: tag(plain), identity: { scheme: 'Basic', user, domain, workstation: null, verified: o.credentials ? true : null } };
}
