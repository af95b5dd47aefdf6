-- 0016 on PostgreSQL: the triggers PL/pgSQL functions; INTEGER → BIGINT.

-- The accounts dialect's account list (GET /api/landlords/accounts, store/store_account.c).
--
-- An account is a companies row, and those rows are wide (the account columns of 0009).
-- Unfiltered, the list needs the number of accounts and one page of them in id order by
-- offset; at 10,000 accounts a COUNT(*) or a deep OFFSET over the table itself walks every
-- wide row. Narrow structures make both cheap:
--
--   account_count            the number of companies, one row kept exact by triggers in
--                            the writing transaction (as event_counts, 0010): the total
--                            of an unfiltered page is one key read;
--   companies_account_list   an index of the ids alone: the page's ids are read off it
--                            (a covering scan of a few narrow pages) and only those rows
--                            are then read in full;
--   companies_account_search every column the list's filters read (the account name's
--                            substring, which no index can seek, the e-mail, the ids):
--                            counting a name search scans it instead of the rows.
--
-- Nothing else reads or writes them; the files that insert or delete companies do not
-- need to know about them.

CREATE TABLE account_count (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	n BIGINT NOT NULL
);
INSERT INTO account_count(id, n) SELECT 1, COUNT(*) FROM companies;

CREATE OR REPLACE FUNCTION account_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE account_count SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER account_count_insert AFTER INSERT ON companies FOR EACH ROW
	EXECUTE FUNCTION account_count_insert();

CREATE OR REPLACE FUNCTION account_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE account_count SET n = n - 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER account_count_delete AFTER DELETE ON companies FOR EACH ROW
	EXECUTE FUNCTION account_count_delete();

CREATE INDEX companies_account_list ON companies(id);
CREATE INDEX companies_account_search ON companies(name, account_email, uuid);
