-- Least privilege. The role that runs the migrations (`vigil migrate`) owns every object; the
-- running roles connect as login users that are members of these NOLOGIN group roles and hold
-- only what they need:
--   vigil_api        reads and writes the tables (DML only: no CREATE, DROP, ALTER or TRUNCATE,
--                    since it owns nothing and has no CREATE on the schema);
--   vigil_scheduler  reads and moves the targets' due times; nothing else (no insights, scans,
--                    audit log, tokens or configuration documents).
-- Workers hold no database credentials at all: they read documents from the config source or the
-- API and send results to the API. Create the login users as in README "Database roles":
--   create role vigil_api_user login password '...' in role vigil_api;
-- Roles are cluster-wide, so they are created only when missing (a second database, or a
-- re-created one, on the same cluster reuses them).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'vigil_api') then
        create role vigil_api nologin;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'vigil_scheduler') then
        create role vigil_scheduler nologin;
    end if;
    -- PostgreSQL 15+ no longer lets PUBLIC create in the public schema; older servers did.
    execute format('revoke create on schema %I from public', current_schema());
    execute format('grant usage on schema %I to vigil_api, vigil_scheduler', current_schema());
    execute format('grant select, insert, update, delete on all tables in schema %I to vigil_api',
                   current_schema());
    execute format('grant usage, select on all sequences in schema %I to vigil_api',
                   current_schema());
    -- Partitions created later (vigil_ensure_partitions, run by the owner) and tables of later
    -- migrations get the same grants. Reads and writes through a partitioned parent check only
    -- the parent's privileges; these cover direct reads of a partition.
    execute format('alter default privileges in schema %I grant select, insert, update, delete'
                   ' on tables to vigil_api', current_schema());
    execute format('alter default privileges in schema %I grant usage, select on sequences'
                   ' to vigil_api', current_schema());
end
$$;

-- Flyway's own bookkeeping is the owner's alone.
revoke all on flyway_schema_history from vigil_api;

-- Creating partitions is DDL: the owner's job (at migration and from its own schedule).
revoke execute on function vigil_ensure_partitions(integer) from public;

grant select, update on targets to vigil_scheduler;
