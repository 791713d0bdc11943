-- 008: the HTTP version of each request's request line ("1.1", "1.0"), as the client sent it, so a
-- check can judge it (MS-CER2 2.1: "This protocol MUST use HTTP 1.1"). Null for stores made before.

ALTER TABLE requests ADD COLUMN http_version TEXT;
