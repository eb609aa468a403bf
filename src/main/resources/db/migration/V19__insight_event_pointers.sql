-- The insight-event outbox becomes a queue of pointers into audit_log (issue 20). V15's trigger
-- copied every audited transition whole, joining each row back to insights for its check,
-- resource and severity: on the largest results call (500,000 new insights in one COPY) that join
-- probed the insights index once per row through its hash partitions and, with the wide copy,
-- took about half of the call's time. The event's facts are all in the audit row or in columns of
-- the insight that never change (check, resource; severity is the check's), so the trigger now
-- queues only the audit row's key, and the relay reads the rest when it publishes, a batch at a
-- time, off the write path. The scan time an event reports (occurred_at) travels in the audit
-- row's detail ('scanned_at', written by every scan path from now on), since the insight's
-- last_seen_at and resolved_at move on with later scans.
--
-- The event id, which consumers deduplicate on, is derived from the audit id by the relay (a
-- name-based UUID), so it stays the same when a row is sent again; no per-row random id or
-- sequence is drawn on the write path.
alter table insight_event_outbox rename to insight_event_outbox_v15;

create table insight_event_outbox (
    -- the audit row's key: publication order, and with recorded_at the row's partition
    audit_id     bigint      primary key,
    -- the audit row's time (audit_log is partitioned by it)
    recorded_at  timestamptz not null
);

-- Rows V15 queued and the relay has not published yet point at their audit rows: the same
-- insight, kind and transaction time. They get derived event ids like every other row; none was
-- published, so no consumer has seen their old ids (a row Kafka acknowledged but whose delete
-- failed is the exception, and arrives once more under a new id).
insert into insight_event_outbox (audit_id, recorded_at)
select a.audit_id, a.at
from insight_event_outbox_v15 o
join audit_log a on a.account_id = o.account_id and a.insight_id = o.insight_id
                and a.action = o.kind and a.at = o.recorded_at
on conflict (audit_id) do nothing;

drop table insight_event_outbox_v15;

create or replace function vigil_insight_events_audited() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from insight_event_switch where enabled) then
        return null;
    end if;
    insert into insight_event_outbox (audit_id, recorded_at)
    select a.audit_id, a.at
    from audited a
    where a.insight_id is not null
      -- rows audited by this transaction only: making a month's partition moves that month's
      -- stray rows out of audit_log_default by inserting them again through the parent (V11),
      -- and those are old transitions, queued when they were made
      and a.at = now()
      and a.action in ('opened', 'reopened', 'resolved', 'dismissed', 'undismissed',
                       'classified', 'unclassified');
    return null;
end
$$;
