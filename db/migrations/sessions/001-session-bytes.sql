-- sessions 001: a v2 session from a compressed payload is not a slice of the request body: keep its bytes.

ALTER TABLE sqm_sessions ADD COLUMN session_bytes BLOB;
