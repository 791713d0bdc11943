-- 001: the capture store. Every request, its answer, every decoded SQM session and section,
-- and every finding. Data points are decoded from the stored section bytes by the same codec
-- at read time (see README "What is stored"), so an upload costs a handful of rows.

CREATE TABLE requests (
  id               INTEGER PRIMARY KEY,
  received_at      TEXT    NOT NULL,           -- ISO 8601
  listener         TEXT    NOT NULL,           -- main | cer | relay
  protocol         TEXT    NOT NULL,           -- sqm-v1 … or unknown
  method           TEXT    NOT NULL,
  path             TEXT    NOT NULL,           -- path and query as received
  headers          TEXT    NOT NULL,           -- JSON [[name, value], …] in arrival order
  remote_address   TEXT,
  body             BLOB    NOT NULL,           -- whole body, or its first bytes when over the limit
  body_size        INTEGER NOT NULL,           -- bytes received
  body_truncated   INTEGER NOT NULL DEFAULT 0,
  body_sha256      TEXT    NOT NULL,           -- of the whole body as received
  status           INTEGER NOT NULL,           -- answer status; -1 when no status line was sent
  response_headers TEXT    NOT NULL DEFAULT '{}',
  response_body    BLOB,
  rule_name        TEXT,
  partner          TEXT,
  reason           TEXT,                       -- one-line reason for a 4xx
  duration_ms      REAL    NOT NULL DEFAULT 0
);
CREATE INDEX requests_protocol ON requests (protocol, id);

CREATE TABLE sqm_sessions (
  id               INTEGER PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  protocol_version INTEGER NOT NULL,           -- 1 or 2
  partner          TEXT,
  accepted         INTEGER NOT NULL,
  mid              TEXT,                       -- ClientUniqueIdentifier
  body_offset      INTEGER NOT NULL,           -- where the session starts in the request body
  body_length      INTEGER NOT NULL,
  raw_data         BLOB,                       -- uncompressed section data, for compressed sessions only
  context          TEXT                        -- JSON: protocol-specific context (v2 namespace and args)
);
CREATE INDEX sqm_sessions_partner ON sqm_sessions (partner, id);
CREATE INDEX sqm_sessions_mid ON sqm_sessions (mid, id);

CREATE TABLE sqm_sections (
  session_id       INTEGER NOT NULL REFERENCES sqm_sessions (id) ON DELETE CASCADE,
  idx              INTEGER NOT NULL,
  type             INTEGER NOT NULL,
  type_name        TEXT    NOT NULL,
  offset           INTEGER NOT NULL,
  length           INTEGER NOT NULL,
  entries          INTEGER NOT NULL,           -- data points or stream entries actually read
  layout           TEXT,                       -- STRING layout: document | windows
  stream_id        INTEGER,
  count_per_record INTEGER,
  count_records    INTEGER,
  PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;

CREATE TABLE findings (
  id               INTEGER PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  session_id       INTEGER REFERENCES sqm_sessions (id) ON DELETE CASCADE,
  protocol         TEXT    NOT NULL,
  level            TEXT    NOT NULL,           -- error | warning | info
  rule             TEXT    NOT NULL,
  spec_ref         TEXT    NOT NULL,
  message          TEXT    NOT NULL,
  offset           INTEGER
);
CREATE INDEX findings_request ON findings (request_id);
CREATE INDEX findings_level ON findings (level, id);
