-- upstream 001 (was 005): the upstream leg of relayed requests (CEIP redirect, SQM relay): what went out, what came
-- back (or why nothing did). One row per forwarded request.

CREATE TABLE forwards (
  request_id       INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  url              TEXT    NOT NULL,
  method           TEXT    NOT NULL,
  request_headers  TEXT    NOT NULL,           -- JSON {name: value}
  request_body     BLOB,
  request_sha256   TEXT    NOT NULL,
  status           INTEGER,                    -- null when the upstream could not be reached
  response_headers TEXT,
  response_body    BLOB,
  error            TEXT,
  duration_ms      REAL    NOT NULL
);
