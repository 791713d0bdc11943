-- conversation 002: what a client sent that was accepted, remembered once by a 20-byte digest (the
-- protocol's hash of the client key and what identifies the thing, e.g. an SQM v1 session header),
-- so a resend is recognised. One small B-tree entry per accepted upload, where a setup row cost a
-- row and two index entries keyed by long strings. `at` is the mock clock, in ms.

CREATE TABLE conversation_seen (
  digest           BLOB    PRIMARY KEY,
  request_id       INTEGER NOT NULL,
  at               INTEGER NOT NULL
) WITHOUT ROWID;
