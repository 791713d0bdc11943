-- conversation 003: accepted uploads' digests are first appended to conversation_seen_recent, in
-- the order they came (a row at the end of the table, on the page the last one dirtied), and moved
-- into conversation_seen in digest order once some thousands have gathered (the capture part's
-- compaction). One entry keyed by a random digest dirtied a random page of conversation_seen in
-- every commit; moved in order, a page takes all of its new entries at once. A lookup reads both.

CREATE TABLE conversation_seen_recent (
  id               INTEGER PRIMARY KEY,
  digest           BLOB    NOT NULL,
  request_id       INTEGER NOT NULL,
  at               INTEGER NOT NULL
);
