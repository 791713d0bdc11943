-- 007: client conformance across requests (INTERFACE.md section 5). Every finding says whether it
-- judges one request (`request`) or the conversation (`conversation`: then the request whose
-- answer set the broken rule up, and the client); every request says which client sent it.

ALTER TABLE findings ADD COLUMN kind TEXT NOT NULL DEFAULT 'request';
ALTER TABLE findings ADD COLUMN related_request_id INTEGER;
ALTER TABLE findings ADD COLUMN client_key TEXT;
ALTER TABLE requests ADD COLUMN client_key TEXT;
CREATE INDEX requests_client ON requests (client_key, id);
CREATE INDEX findings_client ON findings (client_key, kind);
