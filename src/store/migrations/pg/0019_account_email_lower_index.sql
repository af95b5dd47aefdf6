-- 0019 on PostgreSQL: the same statements (0009 made the index on lower() already; this renames it).

-- The account e-mail's index in portable form (issue 13, "Portable SQL").
--
-- store/accounts/store_account.c matched account_email case-insensitively with SQLite's
-- COLLATE NOCASE, served by companies_account_email (0009, rebuilt in 0018), an index in
-- that collation. It now compares lower(account_email) = lower(?), which PostgreSQL also
-- reads, so the index is on that expression instead: the account list filtered by e-mail
-- and the e-mail-taken check stay index searches. SQLite's lower() folds ASCII only, as
-- NOCASE does, so the same rows match.

DROP INDEX companies_account_email;
CREATE INDEX companies_account_email_lower ON companies(lower(account_email));
