-- upstream 002: how each upstream exchange ended (server/upstream/forward.ts ForwardOutcome):
-- answered, unreachable, truncated, too-large or timeout. Earlier rows are classified from what they
-- hold (no status: unreachable; a status with an error: the answer broke off).

ALTER TABLE forwards ADD COLUMN outcome TEXT;
UPDATE forwards SET outcome = CASE WHEN status IS NULL THEN 'unreachable' WHEN error IS NOT NULL THEN 'truncated' ELSE 'answered' END;
