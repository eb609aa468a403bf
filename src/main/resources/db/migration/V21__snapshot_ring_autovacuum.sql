-- The version ring (config_snapshots, V4) deletes one version for each it stores once a target
-- holds its 32: under pushes its dead rows grow as fast as rows are written, and most of their
-- bytes are in its TOAST table (documents are large). At the default scale factor (20 % of the
-- table) autovacuum waits for tens of thousands of dead rows and then cleans them in one long run
-- that lands on whatever traffic comes next; bench changes on 2026-12-04 found up to 103,000 dead
-- rows here after a few minutes of bursts, and the first latency window after them paid for
-- their cleanup. At 1 % plus 1,000 rows autovacuum visits the ring on each of its rounds during a
-- burst instead, in runs a fraction as long. The other tables keep PostgreSQL's defaults.
alter table config_snapshots set (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    toast.autovacuum_vacuum_scale_factor = 0.01,
    toast.autovacuum_vacuum_threshold = 1000);
