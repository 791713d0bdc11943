-- 003: SQM v2 (MS-SQMCS2). Upload tokens issued by `approved` answers, and which dataupload
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

-- A v2 session from a compressed payload is not a slice of the request body: keep its bytes.
ALTER TABLE sqm_sessions ADD COLUMN session_bytes BLOB;
