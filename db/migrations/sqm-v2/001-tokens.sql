-- sqm-v2 001 (was 003): SQM v2 (MS-SQMCS2). Upload tokens issued by `approved` answers, and which dataupload
-- requests used them. FILETIMEs are kept as decimal text (they pass 2^53).

CREATE TABLE sqm_tokens (
  token            TEXT    PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  namespace        TEXT    NOT NULL,           -- JSON {svc, ptr, gp, app, args}
  mid              TEXT,
  issued_at        TEXT    NOT NULL,           -- ISO 8601
  expires_at       TEXT    NOT NULL,           -- ISO 8601
  expires_filetime TEXT    NOT NULL
);

CREATE TABLE sqm_token_uses (
  token            TEXT    NOT NULL,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  req_key          TEXT    NOT NULL,
  outcome          TEXT    NOT NULL            -- receipt | error
);
CREATE INDEX sqm_token_uses_token ON sqm_token_uses (token);
