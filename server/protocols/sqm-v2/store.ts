// The SQM v2 tables (db/migrations/sqm-v2): upload tokens issued by `approved` answers and the
// dataupload requests that used them — the statements of their capture rows and the rows.

import { migrationFiles, type CapturePart, type CaptureRow } from '../../store';

export const TOKEN_CAPTURE: CapturePart = {
  statements: {
    'sqm-v2:token': `INSERT INTO sqm_tokens (token, request_id, namespace, mid, issued_at, expires_at, expires_filetime)
      VALUES (@token, @requestId, @namespace, @mid, @issuedAt, @expiresAt, @expiresFiletime)`,
    'sqm-v2:token-use': `INSERT INTO sqm_token_uses (token, request_id, req_key, outcome) VALUES (@token, @requestId, @reqKey, @outcome)`,
  },
  tables: ['sqm_token_uses', 'sqm_tokens'],
  migrations: migrationFiles('sqm-v2', { '001-tokens.sql': 3 }),
};

export interface TokenIssue {
  token: string;
  namespace: unknown;
  mid: string | null;
  issuedAt: Date;
  expiresAt: Date;
  expiresFiletime: bigint;
}

export const tokenRow = (t: TokenIssue): CaptureRow => ({
  stmt: 'sqm-v2:token',
  params: {
    token: t.token,
    namespace: JSON.stringify(t.namespace),
    mid: t.mid,
    issuedAt: t.issuedAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    expiresFiletime: String(t.expiresFiletime),
  },
});

export const tokenUseRow = (token: string, reqKey: string, outcome: 'receipt' | 'error'): CaptureRow => ({
  stmt: 'sqm-v2:token-use',
  params: { token, reqKey, outcome },
});
