-- cer 001 (was 004): Corporate Error Reporting v2 (MS-CER2). Buckets by error signature (stable across
-- restarts), level-1 reports with the answer's instructions, and level-2 cabinets.

CREATE TABLE cer_buckets (
  signature_key    TEXT    PRIMARY KEY,
  bucket           INTEGER NOT NULL,
  bucket_table     INTEGER NOT NULL,
  event_type       TEXT    NOT NULL,
  hits             INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cer_reports (
  id               INTEGER PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  accepted         INTEGER NOT NULL,
  event_type       TEXT,
  report_type      TEXT,
  bucket           INTEGER,
  bucket_table     INTEGER,
  signature_key    TEXT,
  report           TEXT    NOT NULL,           -- JSON: the decoded WERREPORT
  instructions     TEXT    NOT NULL,           -- JSON: what the level-1 answer said
  dump_file        TEXT,                       -- the DumpFile path as issued
  dump_key         TEXT    UNIQUE,             -- its normalized form, for level-2 look-ups
  fileshare_path   TEXT
);
CREATE INDEX cer_reports_request ON cer_reports (request_id);

CREATE TABLE cer_level2 (
  report_id        INTEGER PRIMARY KEY REFERENCES cer_reports (id) ON DELETE CASCADE,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  size             INTEGER NOT NULL,
  sha256           TEXT    NOT NULL,
  files            TEXT    NOT NULL,           -- JSON [{name, size}]
  corrupt          INTEGER NOT NULL,
  fileshare_path   TEXT
);
