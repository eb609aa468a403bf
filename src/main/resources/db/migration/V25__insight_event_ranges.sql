-- The insight-event outbox queues ranges of audit ids, not one row per audit row (issue 20). V19's
-- trigger inserted one pointer per audited transition: on the largest results call (500,000 new
-- insights in one COPY) that was 500,000 more index entries in the call's transaction, measured at
-- 30 % of the call on 2026-12-05 (outbox on against off, alternated in one `vigil bench write`).
-- One statement's audit rows mostly take consecutive ids, so the trigger now queues each run of
-- consecutive ids it audited as one row: one row for a COPY's 500,000 transitions, and at worst (a
-- statement whose ids interleave with a concurrent writer's) one row per transition, as before.
--
-- A row is a closed range [first_audit_id, last_audit_id] of audit rows that are all transitions
-- of one transaction, so the relay can expand it without reading rows that are not events. Ranges
-- never overlap. The relay reads them by last_audit_id, which keeps each insight's events in
-- order: an insight's later transition is audited by a transaction that waited for the earlier
-- one's commit (the insight's row lock), so its range ends after every id the earlier one took.
-- A range the relay publishes in part keeps its key and moves its first id on.
alter table insight_event_outbox rename column audit_id to last_audit_id;
alter table insight_event_outbox add column first_audit_id bigint;
update insight_event_outbox set first_audit_id = last_audit_id;
alter table insight_event_outbox alter column first_audit_id set not null;
alter table insight_event_outbox
    add constraint insight_event_outbox_range check (first_audit_id <= last_audit_id);

create or replace function vigil_insight_events_audited() returns trigger
language plpgsql as $$
declare
    n  bigint;
    lo bigint;
    hi bigint;
begin
    if not exists (select 1 from insight_event_switch where enabled) then
        return null;
    end if;
    -- rows audited by this transaction only (a.at = now()): making a month's partition moves that
    -- month's stray rows out of audit_log_default by inserting them again through the parent (V11),
    -- and those are old transitions, queued when they were made
    select count(*), min(a.audit_id), max(a.audit_id) into n, lo, hi
    from audited a
    where a.insight_id is not null
      and a.at = now()
      and a.action in ('opened', 'reopened', 'resolved', 'dismissed', 'undismissed',
                       'classified', 'unclassified');
    if n = 0 then
        return null;
    end if;
    -- n distinct ids filling [lo, hi]: every id in it is one of this statement's transitions
    if n = hi - lo + 1 then
        insert into insight_event_outbox (first_audit_id, last_audit_id, recorded_at)
        values (lo, hi, now());
        return null;
    end if;
    -- otherwise one row per run of consecutive ids (ids minus their rank are equal along a run)
    insert into insight_event_outbox (first_audit_id, last_audit_id, recorded_at)
    select min(t.audit_id), max(t.audit_id), now()
    from (select a.audit_id, a.audit_id - row_number() over (order by a.audit_id) as run
          from audited a
          where a.insight_id is not null
            and a.at = now()
            and a.action in ('opened', 'reopened', 'resolved', 'dismissed', 'undismissed',
                             'classified', 'unclassified')) t
    group by t.run;
    return null;
end
$$;
