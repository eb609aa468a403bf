-- Partition upkeep from the api role (inventory.Partitions). The api role holds DML only (V6), so
-- the two pieces of DDL it needs are these functions, owned by the migrating role and run with its
-- rights (security definer): each takes one table of a fixed list and one month, nothing else, so
-- they widen the api role by exactly "create next month's partition" and "drop a past month's".
-- Dropping a past month is no new power: the api role can already delete those rows.
--
-- Both take the table's lock (DROP an ACCESS EXCLUSIVE one on the parent) within lock_timeout
-- (10 s) or fail: queued behind a long query, they would otherwise block every write queued behind
-- them. A failed call is logged and retried by the next pass.
--
-- Month bounds are UTC midnights, whatever the session's time zone (V1's function cast a date to
-- timestamptz in the migrating session's zone; on a UTC server, the usual case, that is the same).

-- The table named by an upkeep call, checked against the time-partitioned tables.
create function vigil_partition_parent(parent text) returns regclass
language plpgsql stable as $$
begin
    if parent not in ('scans', 'audit_log') then
        raise exception 'table "%" is not time-partitioned (scans, audit_log)', parent
            using errcode = '22023';
    end if;
    return parent::regclass;
end
$$;

-- Creates the partition of `parent` for the UTC month starting at `month`; returns false when it
-- already exists. Rows of that month already in the default partition (written while the
-- partition was missing) are moved into the new one in this same transaction: the default is
-- detached, the partition created, the rows moved through the parent, the default re-attached.
-- A transaction-scoped advisory lock serializes concurrent callers (two api replicas), so the
-- second finds the partition made and returns false instead of failing on a catalog conflict.
create function vigil_create_month_partition(parent text, month date) returns boolean
language plpgsql security definer set search_path from current set lock_timeout = '10s' as $$
declare
    tbl regclass := vigil_partition_parent(parent);
    part text := parent || '_' || to_char(month, 'YYYYMM');
    dflt text := parent || '_default';
    col text := case parent when 'scans' then 'applied_at' else 'at' end;
    lo timestamptz := month::timestamp at time zone 'UTC';
    hi timestamptz := (month + interval '1 month')::timestamp at time zone 'UTC';
    stray bigint;
begin
    if month <> date_trunc('month', month)::date then
        raise exception 'partition month % is not the first day of a month', month
            using errcode = '22023';
    end if;
    perform pg_advisory_xact_lock(hashtext('vigil_partition_upkeep'));
    if to_regclass(part) is not null then
        if not exists (select 1 from pg_inherits
                        where inhrelid = to_regclass(part) and inhparent = tbl) then
            raise exception 'table % exists but is not a partition of %: drop, rename or attach it',
                part, parent using errcode = '42P07';
        end if;
        return false;
    end if;
    execute format('select count(*) from %I where %I >= $1 and %I < $2', dflt, col, col)
        into stray using lo, hi;
    if stray = 0 then
        execute format('create table %I partition of %s for values from (%L) to (%L)',
                       part, tbl, lo, hi);
        return true;
    end if;
    raise notice 'moving % rows of % from % into the new partition %', stray, month, dflt, part;
    execute format('alter table %s detach partition %I', tbl, dflt);
    execute format('create table %I partition of %s for values from (%L) to (%L)',
                   part, tbl, lo, hi);
    execute format('insert into %s select * from %I where %I >= $1 and %I < $2',
                   tbl, dflt, col, col) using lo, hi;
    execute format('delete from %I where %I >= $1 and %I < $2', dflt, col, col) using lo, hi;
    execute format('alter table %s attach partition %I default', tbl, dflt);
    return true;
end
$$;

-- Drops the partition of `parent` for the UTC month starting at `month`; returns false when there
-- is none. Refuses a month that is not entirely past (the current month and later are never
-- dropped, whatever the caller's clock says).
create function vigil_drop_month_partition(parent text, month date) returns boolean
language plpgsql security definer set search_path from current set lock_timeout = '10s' as $$
declare
    tbl regclass := vigil_partition_parent(parent);
    part text := parent || '_' || to_char(month, 'YYYYMM');
begin
    if month + interval '1 month' > date_trunc('month', now() at time zone 'UTC') then
        raise exception 'refusing to drop %: % is not a past month', part, month
            using errcode = '22023';
    end if;
    perform pg_advisory_xact_lock(hashtext('vigil_partition_upkeep'));
    if not exists (select 1 from pg_inherits
                    where inhrelid = to_regclass(part) and inhparent = tbl) then
        return false;
    end if;
    execute format('drop table %I', part);
    return true;
end
$$;

-- The migration's own call (vigil_ensure_partitions, run by the owner) now uses the same UTC bounds
-- and the same moving of stray rows.
create or replace function vigil_ensure_partitions(months_ahead integer) returns void
language plpgsql as $$
declare
    m date := date_trunc('month', now() at time zone 'UTC')::date - interval '1 month';
    t text;
begin
    for i in 0..months_ahead loop
        foreach t in array array['scans', 'audit_log'] loop
            perform vigil_create_month_partition(t, m);
        end loop;
        m := (m + interval '1 month')::date;
    end loop;
end
$$;

revoke execute on function vigil_partition_parent(text) from public;
revoke execute on function vigil_create_month_partition(text, date) from public;
revoke execute on function vigil_drop_month_partition(text, date) from public;
grant execute on function vigil_create_month_partition(text, date) to vigil_api;
grant execute on function vigil_drop_month_partition(text, date) to vigil_api;
