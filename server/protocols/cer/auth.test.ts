// The CER exchange without HTTP (auth.ts): the MS-NLMP 4.2.4.3 AUTHENTICATE_MESSAGE verified against
// its own ServerChallenge and 4.2.1 password, type 2s seeded and per connection, bad tokens and legs.

import { decodeChallenge, decodeAvPairs, AV_ID, NTLM_FLAGS } from '../../codecs/ntlm/messages';
import { spnegoInit } from '../../codecs/ntlm/spnego';
import { hex, SPEC, SPEC_AUTHENTICATE } from '../../codecs/ntlm/vectors';
import { wireRequest } from '../../../test/helpers/handler-context';
import { authenticate, type AuthOptions } from './auth';
import { AuthConnections } from './auth-connections';

const TYPE1 = 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==';
const TYPE3 = Buffer.from(SPEC_AUTHENTICATE, 'hex').toString('base64');
const opts = (over: Partial<AuthOptions> = {}): AuthOptions => ({ schemes: ['ntlm'], tls: true, seed: 1, now: new Date('2024-01-01T00:00:00Z'), protocol: 'cer', ...over });
const req = (authorization?: string, connectionId = 'main#1') => wireRequest({ url: '/stage2.htm', headers: authorization ? { authorization } : {}, connectionId });
const rules = (o: ReturnType<typeof authenticate>) => o.findings.map((f) => [f.rule, f.specRef]);
/** A connection that was sent the 4.2.1 ServerChallenge, as the 4.2.4.3 messages assume. */
const specConnection = (scheme = 'NTLM') => {
  const c = new AuthConnections();
  c.challengeSent('main#1', { challenge: hex(SPEC.serverChallenge), scheme, spnego: false });
  return c;
};

describe('type 3: MS-NLMP 4.2.4.3 against its own challenge (3.2.5.1.2)', () => {
  it.each([
    ['no credentials: accepted, not checked', undefined, null, null],
    ['the 4.2.1 password (no domain in the entry)', [{ user: 'user', password: 'Password' }], true, null],
    ['the 4.2.1 password, domain given', [{ user: 'User', domain: 'DOMAIN', password: 'Password' }], true, null],
    ['a wrong password', [{ user: 'User', password: 'Passw0rd' }], undefined, 'cer.auth-credentials'],
    ['another domain', [{ user: 'User', domain: 'Other', password: 'Password' }], undefined, 'cer.auth-credentials'],
  ])('%s', (_n, credentials, verified, rule) => {
    const o = authenticate(req(`NTLM ${TYPE3}`), specConnection(), opts({ credentials }));
    if (rule) {
      expect(o.challenge).toMatchObject({ status: 401, headers: { 'www-authenticate': 'NTLM' } });
      expect(rules(o)).toEqual([[rule, 'MS-NLMP 3.2.5.1.2']]);
    } else {
      expect(o.challenge).toBeNull();
      expect(o.identity).toEqual({ scheme: 'NTLM', user: 'User', domain: 'Domain', workstation: 'COMPUTER', verified });
    }
  });

  it('the connection stays authenticated; another connection does not', () => {
    const c = specConnection();
    authenticate(req(`NTLM ${TYPE3}`), c, opts());
    expect(authenticate(req(), c, opts()).identity).toMatchObject({ user: 'User' });
    expect(authenticate(req(undefined, 'main#2'), c, opts()).challenge?.status).toBe(401);
  });

  it('on a connection that was sent no challenge: accepted with cer.auth-no-challenge, or 401 with credentials', () => {
    expect(rules(authenticate(req(`NTLM ${TYPE3}`), new AuthConnections(), opts()))).toEqual([['cer.auth-no-challenge', 'MS-NLMP 1.3.1.1']]);
    const strict = authenticate(req(`NTLM ${TYPE3}`), new AuthConnections(), opts({ credentials: [{ user: 'User', password: 'Password' }] }));
    expect(strict.challenge?.status).toBe(401);
    // The challenge is taken by the first type 3: a replay on the same connection has none.
    const c = specConnection();
    authenticate(req(`NTLM ${TYPE3}`), c, opts());
    expect(rules(authenticate(req(`NTLM ${TYPE3}`), c, opts()))).toContainEqual(['cer.auth-no-challenge', 'MS-NLMP 1.3.1.1']);
  });

  it('over plain HTTP: cer.auth-plain-http (info, MS-CER2 1.4)', () => {
    const o = authenticate(req(`NTLM ${TYPE3}`), specConnection(), opts({ tls: false }));
    expect(o.findings.map((f) => [f.rule, f.level, f.specRef])).toEqual([['cer.auth-plain-http', 'info', 'MS-CER2 1.4']]);
  });
});

describe('type 1 → 401 with a CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2, 3.2.5.1.1)', () => {
  const type2 = (o: ReturnType<typeof authenticate>) => {
    const h = String(o.challenge?.headers['www-authenticate']);
    return { scheme: h.split(' ')[0], msg: decodeChallenge(Buffer.from(h.split(' ')[1], 'base64')).value! };
  };

  it('well-formed: Unicode, TargetInfo with the names and a timestamp, the client flags echoed; no finding', () => {
    const o = authenticate(req(`NTLM ${TYPE1}`), new AuthConnections(), opts());
    expect(o.findings).toEqual([]);
    const { scheme, msg } = type2(o);
    expect(scheme).toBe('NTLM');
    expect(msg.challenge).toHaveLength(8);
    expect(msg.flags & (NTLM_FLAGS.UNICODE | NTLM_FLAGS.TARGET_INFO | NTLM_FLAGS.EXTENDED_SESSIONSECURITY | NTLM_FLAGS.NTLM)).toBe(0x00880201);
    expect(decodeAvPairs(msg.targetInfo).map(([id]) => id)).toEqual([AV_ID.NB_DOMAIN, AV_ID.NB_COMPUTER, AV_ID.DNS_DOMAIN, AV_ID.DNS_COMPUTER, AV_ID.TIMESTAMP]);
  });

  it('challenges: fresh each time, the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number) => {
      const c = new AuthConnections();
      return [1, 2].map(() => type2(authenticate(req(`NTLM ${TYPE1}`), c, opts({ seed }))).msg.challenge.toString('hex'));
    };
    const [a, b] = draw(7);
    expect(a).not.toBe(b);
    expect(draw(7)).toEqual([a, b]);
    expect(draw(8)[0]).not.toBe(a);
  });

  it('inside Negotiate: raw NTLMSSP answered raw; SPNEGO-wrapped answered in a NegTokenResp', () => {
    expect(type2(authenticate(req(`Negotiate ${TYPE1}`), new AuthConnections(), opts({ schemes: ['negotiate'] }))).scheme).toBe('Negotiate');
    const wrapped = authenticate(req(`Negotiate ${spnegoInit(Buffer.from(TYPE1, 'base64')).toString('base64')}`), new AuthConnections(), opts({ schemes: ['negotiate'] }));
    expect(String(wrapped.challenge?.headers['www-authenticate'])).toMatch(/^Negotiate oY/); // 0xa1: NegTokenResp
  });
});

describe('what gets a plain 401 offer', () => {
  it.each([
    ['no Authorization', undefined, []],
    ['a scheme not offered', 'Basic dTpw', []],
    ['a token that is not base64', 'NTLM ***', [['cer.auth-token', 'RFC 4559 4']]],
    ['a type 2 sent by a client', `NTLM ${hex('4e544c4d53535000020000000000000000000000').toString('base64')}`, [['cer.auth-token', 'MS-NLMP 2.2.1']]],
    ['a type 3 cut short', `NTLM ${hex(SPEC_AUTHENTICATE).subarray(0, 40).toString('base64')}`, [['cer.auth-token', 'MS-NLMP 2.2.1.3']]],
  ])('%s', (_n, authorization, expected) => {
    const o = authenticate(req(authorization), new AuthConnections(), opts({ schemes: ['negotiate', 'ntlm'] }));
    expect(o.challenge?.headers['www-authenticate']).toEqual(['Negotiate', 'NTLM']);
    expect(rules(o)).toEqual(expected);
  });

  it('Kerberos inside Negotiate: taken unread without credentials, 401 with them', () => {
    const krb = 'Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag';
    expect(rules(authenticate(req(krb), new AuthConnections(), opts({ schemes: ['negotiate'] })))).toEqual([['cer.auth-unverified', 'RFC 4559 4']]);
    expect(authenticate(req(krb), new AuthConnections(), opts({ schemes: ['negotiate'], credentials: [{ user: 'u', password: 'p' }] })).challenge?.status).toBe(401);
  });

  it('Basic without ":" → cer.auth-token (RFC 7617 2)', () => {
    const o = authenticate(req(`Basic ${Buffer.from('nocolon').toString('base64')}`), new AuthConnections(), opts({ schemes: ['basic'] }));
    expect(rules(o)).toEqual([['cer.auth-token', 'RFC 7617 2']]);
  });
});
