-- Episodes follow a changed insight once per statement, not once per row (issue 20). V12's row
-- trigger ran two statements of its own for every insight a results transaction opened again or
-- resolved, each planned against insight_episodes' 16 partitions: a wave of 500 scans that each
-- resolved or reopened one insight took about twice as long as a wave that changed nothing, and the
-- trigger was ~85 % of the difference (pg_stat_user_functions: ~250 µs per call). The same rules,
-- now over the statement's transition tables: a reopen (resolved to open) starts the next episode at
-- the scan that saw the insight again; any other change a user or a scan makes (resolved, dismissed,
-- classified, severity) is recorded on the current episode. An insight is changed at most once by
-- one statement, so the old and new images pair up one to one by (account_id, insight_id).
create function vigil_episodes_changed_rows() returns trigger
language plpgsql as $$
declare
    reopened boolean;
    changed boolean;
begin
    -- Most statements that update insights change nothing an episode records (a content rewrite,
    -- or no row at all: the results apply's update runs for every wave). Looked at on the
    -- transition tables alone first, because the statements below are planned afresh on every
    -- call (they read the transition tables) against the 16 partitions of insight_episodes, which
    -- costs milliseconds even when they would touch nothing.
    select coalesce(bool_or(o.status = 'resolved' and n.status = 'open'), false),
           coalesce(bool_or(not (o.status = 'resolved' and n.status = 'open')
                            and (o.status is distinct from n.status
                                 or o.severity is distinct from n.severity
                                 or o.dismissed is distinct from n.dismissed
                                 or o.classification is distinct from n.classification)), false)
      into reopened, changed
    from changed_old o
    join changed_new n on n.account_id = o.account_id and n.insight_id = o.insight_id;

    if reopened then
        insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id, severity,
                                      opened_at, resolved_at, dismissed, classification)
        select n.account_id, n.insight_id, coalesce(m.last, 0) + 1, n.zone_id, n.check_id,
               n.severity, n.last_seen_at, null, n.dismissed, n.classification
        from changed_old o
        join changed_new n on n.account_id = o.account_id and n.insight_id = o.insight_id
        left join lateral (select max(e.episode) as last
                           from insight_episodes e
                           where e.account_id = n.account_id and e.insight_id = n.insight_id) m
               on true
        where o.status = 'resolved' and n.status = 'open';
    end if;

    if changed then
        update insight_episodes e
        set resolved_at = case when c.new_status = 'resolved' and c.old_status = 'open'
                               then c.resolved_at else e.resolved_at end,
            severity = case when c.new_status = 'open' then c.severity else e.severity end,
            dismissed = e.dismissed or c.dismissed,
            classification = case when c.classification is distinct from c.old_classification
                                  then coalesce(c.classification, e.classification)
                                  else e.classification end
        from (select n.account_id, n.insight_id, n.status as new_status, o.status as old_status,
                     n.resolved_at, n.severity, n.dismissed, n.classification,
                     o.classification as old_classification,
                     (select max(x.episode) from insight_episodes x
                      where x.account_id = n.account_id and x.insight_id = n.insight_id) as last
              from changed_old o
              join changed_new n on n.account_id = o.account_id and n.insight_id = o.insight_id
              where not (o.status = 'resolved' and n.status = 'open')
                and (o.status is distinct from n.status
                     or o.severity is distinct from n.severity
                     or o.dismissed is distinct from n.dismissed
                     or o.classification is distinct from n.classification)) c
        where e.account_id = c.account_id and e.insight_id = c.insight_id and e.episode = c.last;
    end if;
    return null;
end
$$;

drop trigger insight_episodes_changed on insights;
drop function vigil_episodes_changed();

create trigger insight_episodes_changed after update on insights
    referencing old table as changed_old new table as changed_new
    for each statement execute function vigil_episodes_changed_rows();
