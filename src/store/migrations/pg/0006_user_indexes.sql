-- 0006 on PostgreSQL: the same statement.

-- Counting a right profile's employees (right profile list and delete) without a scan.
CREATE INDEX users_right_profile ON users(right_profile_id) WHERE deleted_at IS NULL;
