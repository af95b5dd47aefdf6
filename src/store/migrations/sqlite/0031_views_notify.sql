-- PostgreSQL's 0031 notifies other rentd processes when a version of the kept views moves
-- (store_epoch.c). SQLite has no notifications: every process reads the versions from the
-- file itself, so there is nothing to add here. The migration exists so both backends share
-- one numbering.
SELECT 1;
