-- The version ring (config_snapshots, V4) deletes one version for each it stores once a target
-- holds its 32: under pushes its dead rows grow as fast as rows are written, and most of their
-- bytes are in its TOAST table (documents are large). At the default scale factor autovacuum waits
-- for a fifth of the table to be dead: at fleet scale (a million targets, 32 million versions)
-- six million dead rows, cleaned in one long run that lands on whatever traffic comes next. At
-- 1 % plus 1,000 rows it takes the ring on each of its rounds (autovacuum_naptime, a minute by
-- default) in shorter runs. A burst shorter than a round still leaves its dead rows to the next
-- one: bench changes on 2026-12-04 found 78,863 dead TOAST rows after its bursts with this
-- setting, against 53,937 without (config_snapshots itself 6,417 against 32,519).
-- The other tables keep PostgreSQL's defaults.
alter table config_snapshots set (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    toast.autovacuum_vacuum_scale_factor = 0.01,
    toast.autovacuum_vacuum_threshold = 1000);
