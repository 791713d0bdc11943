-- sessions 003: a session's section summaries live in its own row, as a JSON array, instead of one
-- sqm_sections row each: two or more fewer rows (and index entries) to write per upload, which is
-- most of what a small upload costs the writer (issue 16). Existing rows are moved, then the
-- table goes. Each element: {"idx","type","typeName","offset","length","entries"} and, when not
-- null, "layout", "streamId", "countPerRecord", "countRecords".

ALTER TABLE sqm_sessions ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';
UPDATE sqm_sessions SET sections = coalesce((
  SELECT json_group_array(json(x.j) ORDER BY x.idx) FROM (
    SELECT idx, json_patch(
      json_object('idx', idx, 'type', type, 'typeName', type_name, 'offset', offset, 'length', length, 'entries', entries),
      json_object('layout', layout, 'streamId', stream_id, 'countPerRecord', count_per_record, 'countRecords', count_records)) AS j
    FROM sqm_sections WHERE session_id = sqm_sessions.id) x), '[]');
DROP TABLE sqm_sections;
