-- 009: a large body is kept in a file beside the store (`<db>-bodies/`, named by the sha256 of the
-- stored bytes; server/store/body-files.ts); `body` is then empty and `body_file` names the file.

ALTER TABLE requests ADD COLUMN body_file TEXT;
CREATE INDEX requests_body_file ON requests (body_file) WHERE body_file IS NOT NULL;
