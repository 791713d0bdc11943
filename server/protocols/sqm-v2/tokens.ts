// Upload tokens (MS-SQMCS2 2.2.3.6.2): `3.<32 hex>.<16 hex expiry FILETIME>` as in the document's
// 4.2 example (its last part is its `tokenexp`), from the scenario's seeded stream; checked on dataupload.

import { filetimeFromMs } from '../../wire/filetime';

export const DEFAULT_TOKEN_LIFETIME_S = 4 * 24 * 3600;
const TOKEN_RE = /^3\.[0-9a-f]{32}\.[0-9a-f]{16}$/i;

export interface IssuedToken {
  token: string;
  issuedAt: Date;
  expiresAt: Date;
  expires: bigint;
}

export function issueToken(hex32: string, lifetimeSeconds: number, nowMs = Date.now()): IssuedToken {
  const expiresMs = nowMs + lifetimeSeconds * 1000;
  const expires = filetimeFromMs(expiresMs);
  return {
    // MS-SQMCS2 4.2: token 3.….01cc5ed08779ac68 beside tokenexp 129582739006008424 = 0x01CC5ED08779AC68.
    token: `3.${hex32}.${expires.toString(16).padStart(16, '0')}`,
    issuedAt: new Date(nowMs),
    expiresAt: new Date(expiresMs),
    expires,
  };
}

export type TokenCheck = { ok: true } | { ok: false; retrv: 0 | 1; code: string; message: string };

/** Unknown or malformed → retrv 0 (do not retry); expired → retrv 1 (ask again). */
export function checkToken(token: string | undefined, stored: { expiresAt: string } | undefined, nowMs = Date.now()): TokenCheck {
  if (token === undefined || !TOKEN_RE.test(token)) {
    return { ok: false, retrv: 0, code: 'token-malformed', message: `token ${JSON.stringify(token ?? null)} is not one this service issues` };
  }
  if (!stored) return { ok: false, retrv: 0, code: 'token-unknown', message: `token ${token} was never issued (or the store was reset)` };
  if (Date.parse(stored.expiresAt) <= nowMs) {
    return { ok: false, retrv: 1, code: 'token-expired', message: `token ${token} expired at ${stored.expiresAt}; request a new one` };
  }
  return { ok: true };
}
