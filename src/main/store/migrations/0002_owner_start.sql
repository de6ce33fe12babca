-- The owner's process start id (Linux: boot id and start time from /proc/<pid>/stat), so that a
-- pid reused by another process after the owner died is not taken for the owner.
ALTER TABLE runs ADD COLUMN owner_start_id TEXT;
