-- 010: no index on requests.client_key. Every SQM v1 upload has a client key, and the index put
-- each one at a random place (a page written per upload, issue 11's cost); the conformance report's
-- one pass over the table (clients()) and the admin filter by client need none.

DROP INDEX IF EXISTS requests_client;
