-- Staging for large scan results (the COPY path of the hybrid writer). One permanent table reused
-- by every call, instead of a temporary table per call: creating and dropping a temp table writes
-- pg_class/pg_attribute/pg_type rows each time, and at hundreds of calls a second that bloats the
-- system catalogs and slows every planner lookup. UNLOGGED because the rows live only inside one
-- writer transaction (COPY in, INSERT ... SELECT out, DELETE before commit): they never need to
-- survive a crash nor reach a replica, and skipping WAL makes the COPY close to a bare-table COPY.
-- Each call tags its rows with its own batch_id; uncommitted rows of concurrent calls are invisible
-- to each other. No index: the rows of one batch are read once, in full, by a sequential scan, and
-- an index would slow down every COPY to speed up nothing.
create unlogged table insight_staging (
    batch_id      uuid    not null,
    ord           bigint  not null,
    check_id      text    not null,
    resource_key  text    not null,
    severity      text    not null,
    issue_type    text    not null,
    subject       text    not null,
    message       text    not null
);
