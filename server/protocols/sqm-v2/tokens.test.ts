// Upload tokens (MS-SQMCS2 2.2.3.6.2, 3.1.5.3, INTERFACE.md): `3.<32 hex>.<16 hex expiry>` like the
// document's 4.2 example; unknown or malformed → error retrv 0, expired → error retrv 1.

import { filetimeFromMs } from '../../wire/filetime';
import { checkToken, DEFAULT_TOKEN_LIFETIME_S, issueToken } from './tokens';

const HEX32 = '737e6827d6765e60d6900768b36f8c84';
const NOW = Date.UTC(2011, 7, 11, 15, 7, 51, 413);

describe('issueToken', () => {
  it("has the document's shape: 3.<32 hex>.<16 hex expiry FILETIME>", () => {
    const t = issueToken(HEX32, 60, NOW);
    expect(t.token).toMatch(/^3\.[0-9a-f]{32}\.[0-9a-f]{16}$/);
    expect(t.token).toBe(
      `3.${HEX32}.${filetimeFromMs(NOW + 60_000)
        .toString(16)
        .padStart(16, '0')}`,
    );
    expect(BigInt(`0x${t.token.split('.')[2]}`)).toBe(t.expires);
  });

  it("ends in the expiry, as the document example's token ends in its tokenexp (to the millisecond)", () => {
    // MS-SQMCS2 4.2: token 3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68, tokenexp 129582739006008424.
    const tokenexp = 129582739006008424n;
    expect(0x01cc5ed08779ac68n).toBe(tokenexp);
    const expiresMs = Number((tokenexp - 116444736000000000n) / 10000n);
    const lifetime = DEFAULT_TOKEN_LIFETIME_S;
    const [v, hex, last] = issueToken(HEX32, lifetime, expiresMs - lifetime * 1000).token.split('.');
    expect([v, hex]).toEqual(['3', '737e6827d6765e60d6900768b36f8c84']);
    expect(tokenexp - BigInt(`0x${last}`)).toBeGreaterThanOrEqual(0n);
    expect(tokenexp - BigInt(`0x${last}`)).toBeLessThan(10_000n);
  });

  it('expires after the lifetime (dates and FILETIME agree)', () => {
    const t = issueToken(HEX32, 345600, NOW);
    expect(t.issuedAt.getTime()).toBe(NOW);
    expect(t.expiresAt.getTime() - NOW).toBe(345600 * 1000);
    expect(t.expires).toBe(filetimeFromMs(NOW + 345600 * 1000));
    expect(t.expires - filetimeFromMs(NOW)).toBe(345600n * 10_000_000n);
  });

  it('takes fractions of a second', () => {
    expect(issueToken(HEX32, 0.25, NOW).expiresAt.getTime()).toBe(NOW + 250);
  });

  it('defaults to 4 days', () => expect(DEFAULT_TOKEN_LIFETIME_S).toBe(4 * 24 * 3600));
});

describe('checkToken', () => {
  const good = issueToken(HEX32, 60, NOW);
  const stored = { expiresAt: good.expiresAt.toISOString() };

  const malformed: [string, string | undefined][] = [
    ['no token', undefined],
    ['empty', ''],
    ['version other than 3', good.token.replace(/^3/, '2')],
    ['31 hex digits', `3.${HEX32.slice(1)}.${good.token.split('.')[2]}`],
    ['17 hex digits', `${good.token}0`],
    ['not hex', good.token.replace(/.$/, 'g')],
    ['whitespace around it', ` ${good.token}`],
    ['the document example with a missing part', '3.737e6827d6765e60d6900768b36f8c84'],
  ];
  it.each(malformed)('%s → malformed, retrv 0', (_name, token) => {
    expect(checkToken(token, stored, NOW)).toMatchObject({ ok: false, retrv: 0, code: 'token-malformed' });
  });

  it('well-formed but never issued → unknown, retrv 0', () => {
    expect(checkToken(good.token, undefined, NOW)).toMatchObject({ ok: false, retrv: 0, code: 'token-unknown' });
  });

  it('issued and still valid → ok', () => {
    expect(checkToken(good.token, stored, NOW)).toEqual({ ok: true });
    expect(checkToken(good.token, stored, good.expiresAt.getTime() - 1)).toEqual({ ok: true });
  });

  it('at or after its expiry → expired, retrv 1 (ask for a new one)', () => {
    expect(checkToken(good.token, stored, good.expiresAt.getTime())).toMatchObject({ ok: false, retrv: 1, code: 'token-expired' });
    expect(checkToken(good.token, stored, good.expiresAt.getTime() + 86_400_000)).toMatchObject({ ok: false, retrv: 1 });
  });

  it('upper-case hex passes the shape check (the store lookup decides the rest)', () => {
    expect(checkToken(good.token.toUpperCase(), stored, NOW)).toEqual({ ok: true });
  });
});
