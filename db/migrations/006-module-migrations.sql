-- 006: protocol modules bring their own tables (db/migrations/<module>/NNN-*.sql), applied once
-- each by id. Stores made before this (user_version 3-5) got those tables from 003-005.

CREATE TABLE module_migrations (
  id               TEXT    PRIMARY KEY
);
