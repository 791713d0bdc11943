-- conversation 001: what the mock's answers set up for each client (throttle windows, sessions
-- accepted, data refused, manifests announced, DumpFiles issued, authentication challenges), so
-- later requests are judged against them. A setup that opens an expectation names its rule; the
-- request that meets it is recorded in met_by.

CREATE TABLE conversation_setups (
  id               INTEGER PRIMARY KEY,
  request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  client_key       TEXT    NOT NULL,
  protocol         TEXT    NOT NULL,
  kind             TEXT    NOT NULL,           -- throttle | fixed-throttle | accepted | refused | manifest | report | auth …
  at               TEXT    NOT NULL,           -- ISO 8601, the mock clock when it was set up
  until            TEXT,                       -- ISO 8601 end of a window, if it has one
  ref              TEXT,                       -- what a later request matches exactly (a session digest, a DumpFile key …)
  data             TEXT    NOT NULL DEFAULT '{}',
  expectation      TEXT,                       -- rule code of the expectation it opens
  met_by           INTEGER                     -- the request that met that expectation
);
CREATE INDEX conversation_setups_client ON conversation_setups (client_key, kind, id);
CREATE INDEX conversation_setups_ref ON conversation_setups (kind, ref, client_key);
