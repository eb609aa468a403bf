-- Insight events for analytics stores (issue 21): every transition of an insight (opened,
-- reopened, resolved, dismissed, undismissed, classified, unclassified) is queued here in the
-- transaction that makes it, and the api role's relay (dev.vigil.events.InsightEventRelay)
-- publishes the rows to <prefix>insight-events in id order and deletes them once Kafka has
-- acknowledged them. A rolled-back write queues nothing; a Kafka outage only delays the rows.
--
-- The rows are written by a trigger on audit_log, not by the writers: every path that changes an
-- insight (the batch apply, the one-call and COPY paths, triage, fleet sync) already audits each
-- transition in the same statement, with its kind and its actor, so the audit insert is the one
-- place that sees all of them. The trigger is a statement trigger over the transition table: one
-- extra insert per audited statement (a COPY of 100,000 new insights audits them in one statement,
-- and queues them in one more), and a statement that audits nothing that concerns an insight (an
-- SLA change) inserts no row.
create table insight_event_outbox (
    -- publication order: the relay reads the rows in id order
    id              bigint      generated always as identity primary key,
    -- the event's identity, unchanged by a republish: consumers deduplicate on it
    event_id        uuid        not null default gen_random_uuid(),
    kind            text        not null check (kind in ('opened', 'reopened', 'resolved',
                                    'dismissed', 'undismissed', 'classified', 'unclassified')),
    account_id      text        not null,
    zone_id         text,
    insight_id      bigint      not null,
    check_id        text        not null,
    resource_key    text        not null,
    severity        text        not null,
    -- the classification after the change (classified); null otherwise
    classification  text,
    -- 'system' for what a scan did, the token's name for a user's triage
    actor           text        not null,
    -- the scan that made the transition (opened, reopened, resolved by a scan); null otherwise
    scan_id         uuid,
    -- scan time for what a scan saw (first seen, seen again, resolved), else the change's time
    occurred_at     timestamptz not null,
    -- when the transaction that queued the row started (the audit row's time)
    recorded_at     timestamptz not null
);

-- Off (VIGIL_INSIGHT_EVENTS=off) no row is queued: with no relay to drain them, rows would only
-- pile up. The api role sets the one row at start; every replica should say the same.
create table insight_event_switch (
    only_row  boolean primary key default true check (only_row),
    enabled   boolean not null default true
);
insert into insight_event_switch default values;

create function vigil_insight_events_audited() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from insight_event_switch where enabled) then
        return null;
    end if;
    insert into insight_event_outbox (kind, account_id, zone_id, insight_id, check_id,
                                      resource_key, severity, classification, actor, scan_id,
                                      occurred_at, recorded_at)
    select a.action, a.account_id, i.zone_id, a.insight_id, i.check_id, i.resource_key,
           i.severity,
           case when a.action = 'classified' then i.classification end,
           a.changed_by,
           case when a.detail ->> 'scan_id' ~ '^[0-9a-fA-F-]{36}$'
                then cast(a.detail ->> 'scan_id' as uuid) end,
           case a.action
               when 'opened' then i.first_seen_at
               when 'reopened' then i.last_seen_at
               when 'resolved' then coalesce(i.resolved_at, a.at)
               else a.at end,
           a.at
    from audited a
    join insights i on i.account_id = a.account_id and i.insight_id = a.insight_id
    where a.insight_id is not null
      -- rows audited by this transaction only: making a month's partition moves that month's
      -- stray rows out of audit_log_default by inserting them again through the parent
      -- (V11), and those are old transitions, published when they were made. Every writer
      -- leaves at to its default, now(); the alert queue (BatchSql) relies on the same.
      and a.at = now()
      and a.action in ('opened', 'reopened', 'resolved', 'dismissed', 'undismissed',
                       'classified', 'unclassified')
    order by a.audit_id;
    return null;
end
$$;
create trigger insight_event_outbox_audited after insert on audit_log
    referencing new table as audited
    for each statement execute function vigil_insight_events_audited();
