-- 002: how the answer was delivered: the scenario's delay and fault (reset, close, empty,
-- garbage, truncate, hang). A fault that sends no status line records status -1.

ALTER TABLE requests ADD COLUMN fault TEXT;
ALTER TABLE requests ADD COLUMN delay_ms INTEGER NOT NULL DEFAULT 0;
