-- Episodes (issue 21): one row per open period of an insight identity. An insight row is fixed
-- forever and overwritten when it reopens, so it cannot say how long each period lasted; its
-- episodes can: the first opens when the insight is first seen, each reopen starts the next, and a
-- resolve ends the current one. MTTR, SLA attainment and the diff between two dates read them.
--
-- Times are scan times (the insight's first_seen_at, last_seen_at at a reopen, resolved_at), so a
-- backlog applied late still dates each period by what the scans saw.
--
-- Written in the transaction that changes the insight, by triggers on insights, so every writer
-- (the batch apply, the one-call paths, COPY, triage, fleet sync) keeps them without knowing:
-- an AFTER INSERT statement trigger reads the inserted rows from its transition table (one insert
-- for a whole COPY), and an AFTER UPDATE row trigger runs only when its WHEN clause sees a status,
-- severity, dismissal or classification change, so a rescan that rewrites nothing costs nothing.
create table insight_episodes (
    account_id     text        not null,
    insight_id     bigint      not null,
    -- 1 for the first open period, one more per reopen
    episode        integer     not null,
    zone_id        text,
    check_id       text        not null,
    -- the insight's severity while the episode was open (the last one seen, if a rule changed it)
    severity       text        not null check (severity in ('low', 'moderate', 'high', 'critical')),
    opened_at      timestamptz not null,
    -- null while the episode is open
    resolved_at    timestamptz,
    -- whether the insight was dismissed at some time during the episode
    dismissed      boolean     not null default false,
    -- the last classification given during the episode (false_positive, accept_risk, other)
    classification text,
    primary key (account_id, insight_id, episode)
) partition by hash (account_id);

do $$
begin
    for i in 0..15 loop
        execute format(
            'create table insight_episodes_p%s partition of insight_episodes'
                || ' for values with (modulus 16, remainder %s)',
            i, i);
    end loop;
end
$$;
-- MTTR and attainment per month read episodes resolved in a period; open ones past their SLA read
-- the open episodes by severity and age; the diff between two dates reads both ends.
create index insight_episodes_resolved_idx on insight_episodes (account_id, resolved_at)
    where resolved_at is not null;
create index insight_episodes_open_idx on insight_episodes (account_id, severity, opened_at)
    where resolved_at is null;
create index insight_episodes_opened_idx on insight_episodes (account_id, opened_at);

-- Backfill from the audit log: each opened or reopened row starts an episode, the first resolved
-- row after it ends it. Each row's time is the scan time of the scan it names (detail.scan_id),
-- else the audit time; the insight row itself is exact for the first opening and for the end of
-- the last episode of a resolved insight. An insight without audit rows gets one episode from its
-- own row.
with ev as (
    select a.account_id, a.insight_id, a.action, a.at, a.audit_id, a.detail ->> 'scan_id' as scan_id,
           count(*) filter (where a.action in ('opened', 'reopened'))
               over (partition by a.account_id, a.insight_id order by a.at, a.audit_id) as episode
    from audit_log a
    where a.insight_id is not null and a.action in ('opened', 'reopened', 'resolved')
),
timed as (
    select ev.*,
           coalesce((select s.scanned_at from scans s where s.scan_id = cast(ev.scan_id as uuid) limit 1),
                    ev.at) as t
    from ev
    where ev.episode > 0
),
ep as (
    select account_id, insight_id, episode,
           min(t) filter (where action in ('opened', 'reopened')) as opened_at,
           min(t) filter (where action = 'resolved') as resolved_at,
           max(episode) over (partition by account_id, insight_id) as last
    from timed
    group by account_id, insight_id, episode
),
dismissals as (
    select account_id, insight_id, at from audit_log
    where insight_id is not null and action = 'dismissed'
)
insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id, severity,
                              opened_at, resolved_at, dismissed, classification)
select ep.account_id, ep.insight_id, ep.episode, i.zone_id, i.check_id, i.severity,
       case when ep.episode = 1 then i.first_seen_at else ep.opened_at end,
       case when ep.episode = ep.last and i.status = 'open' then null
            when ep.episode = ep.last then coalesce(i.resolved_at, ep.resolved_at)
            else coalesce(ep.resolved_at, ep.opened_at) end,
       (ep.episode = ep.last and i.dismissed)
           or exists (select 1 from dismissals d
                      where d.account_id = ep.account_id and d.insight_id = ep.insight_id
                        and d.at >= ep.opened_at
                        and (ep.resolved_at is null or d.at < ep.resolved_at)),
       case when ep.episode = ep.last then i.classification end
from ep
join insights i on i.account_id = ep.account_id and i.insight_id = ep.insight_id;

insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id, severity,
                              opened_at, resolved_at, dismissed, classification)
select i.account_id, i.insight_id, 1, i.zone_id, i.check_id, i.severity, i.first_seen_at,
       case when i.status = 'resolved' then coalesce(i.resolved_at, i.last_seen_at) end,
       i.dismissed, i.classification
from insights i
where not exists (select 1 from insight_episodes e
                  where e.account_id = i.account_id and e.insight_id = i.insight_id);

-- New insights: their first episode, one statement for all rows of the insert.
create function vigil_episodes_opened() returns trigger
language plpgsql as $$
begin
    insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id, severity,
                                  opened_at, resolved_at, dismissed, classification)
    select n.account_id, n.insight_id, 1, n.zone_id, n.check_id, n.severity, n.first_seen_at,
           case when n.status = 'resolved' then coalesce(n.resolved_at, n.last_seen_at) end,
           n.dismissed, n.classification
    from inserted_insights n;
    return null;
end
$$;
create trigger insight_episodes_opened after insert on insights
    referencing new table as inserted_insights
    for each statement execute function vigil_episodes_opened();

-- A changed insight: a reopen starts the next episode at the scan that saw it again; anything else
-- (resolved, dismissed, classified, severity changed) is recorded on the current episode.
create function vigil_episodes_changed() returns trigger
language plpgsql as $$
begin
    if old.status = 'resolved' and new.status = 'open' then
        insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id, severity,
                                      opened_at, resolved_at, dismissed, classification)
        select new.account_id, new.insight_id, coalesce(max(e.episode), 0) + 1, new.zone_id,
               new.check_id, new.severity, new.last_seen_at, null, new.dismissed,
               new.classification
        from insight_episodes e
        where e.account_id = new.account_id and e.insight_id = new.insight_id;
    else
        update insight_episodes e
        set resolved_at = case when new.status = 'resolved' and old.status = 'open'
                               then new.resolved_at else e.resolved_at end,
            severity = case when new.status = 'open' then new.severity else e.severity end,
            dismissed = e.dismissed or new.dismissed,
            classification = case when new.classification is distinct from old.classification
                                  then coalesce(new.classification, e.classification)
                                  else e.classification end
        where e.account_id = new.account_id and e.insight_id = new.insight_id
          and e.episode = (select max(x.episode) from insight_episodes x
                           where x.account_id = new.account_id
                             and x.insight_id = new.insight_id);
    end if;
    return null;
end
$$;
create trigger insight_episodes_changed after update on insights
    for each row
    when (old.status is distinct from new.status
          or old.severity is distinct from new.severity
          or old.dismissed is distinct from new.dismissed
          or old.classification is distinct from new.classification)
    execute function vigil_episodes_changed();
