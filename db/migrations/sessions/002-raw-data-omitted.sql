-- sessions 002: the decompressed section data of a compressed session is stored only when asked
-- (--store-decompressed) or when only the cabextract helper can read the cabinet; otherwise it is
-- decompressed again from the stored session bytes when read, and this says so.

ALTER TABLE sqm_sessions ADD COLUMN raw_data_omitted INTEGER NOT NULL DEFAULT 0;
