-- PostgreSQL's 0031 notifies other rentd processes of every change (store_epoch.c). SQLite
-- needs nothing in the schema for it: each request asks its connection's PRAGMA
-- data_version, which moves when any other connection commits. The migration exists so both
-- backends share one numbering.
SELECT 1;
