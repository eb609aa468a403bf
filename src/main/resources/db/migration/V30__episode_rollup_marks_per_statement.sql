-- The rollup marks (V14) once per statement, not once per episode row (issue 20). With the
-- episodes kept per statement (V29), V14's row triggers on insight_episodes were the largest part
-- left of what a resolving wave costs its trigger functions: a plpgsql call and a SQL function call
-- for every episode a results statement resolved. The same rules over the statement's transition
-- tables, one insert per statement: a change to an episode resolved in a rolled-up month notes the
-- account and that month, for its old resolution and, when it moved month or was not resolved
-- before, for its new one. The lookup of the rolled-up months still runs after the episodes were
-- written in the same transaction, so V14's guarantee holds: the upkeep pass records a month under
-- a share row exclusive lock on insight_episodes, and a writer either committed before it (the
-- rollup computed after sees its change) or finds the month recorded and notes it.
--
-- An episode is updated at most once by one statement and its key (account_id, insight_id,
-- episode) is never changed, so the old and new images pair up one to one by that key.
create function vigil_episode_rollup_marked() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into episode_rollup_dirty (account_id, month)
        select n.account_id, m.month
        from rollup_new n
        join episode_rollup_months m on m.month = date_trunc('month', n.resolved_at, 'UTC')::date
        where n.resolved_at is not null;
    elsif tg_op = 'DELETE' then
        insert into episode_rollup_dirty (account_id, month)
        select o.account_id, m.month
        from rollup_old o
        join episode_rollup_months m on m.month = date_trunc('month', o.resolved_at, 'UTC')::date
        where o.resolved_at is not null;
    else
        -- V14's WHEN clause (only changes a rollup can see), then the two notes of its function
        insert into episode_rollup_dirty (account_id, month)
        select c.account_id, m.month
        from (select o.account_id, o.resolved_at as old_resolved, n.resolved_at as new_resolved
              from rollup_old o
              join rollup_new n on n.account_id = o.account_id and n.insight_id = o.insight_id
                               and n.episode = o.episode
              where (o.resolved_at is not null or n.resolved_at is not null)
                and (o.resolved_at is distinct from n.resolved_at
                     or o.opened_at is distinct from n.opened_at
                     or o.severity is distinct from n.severity
                     or o.dismissed is distinct from n.dismissed)) c
        cross join lateral (
            select c.old_resolved as resolved
            where c.old_resolved is not null
            union all
            select c.new_resolved
            where c.new_resolved is not null
              and (c.old_resolved is null
                   or date_trunc('month', c.old_resolved, 'UTC')
                      <> date_trunc('month', c.new_resolved, 'UTC'))) r
        join episode_rollup_months m on m.month = date_trunc('month', r.resolved, 'UTC')::date;
    end if;
    return null;
end
$$;

drop trigger episode_rollup_resolved on insight_episodes;
drop trigger episode_rollup_changed on insight_episodes;
drop trigger episode_rollup_deleted on insight_episodes;
drop function vigil_episode_rollup_dirty();
drop function vigil_episode_rollup_note(text, timestamptz);

create trigger episode_rollup_resolved after insert on insight_episodes
    referencing new table as rollup_new
    for each statement execute function vigil_episode_rollup_marked();
create trigger episode_rollup_changed after update on insight_episodes
    referencing old table as rollup_old new table as rollup_new
    for each statement execute function vigil_episode_rollup_marked();
create trigger episode_rollup_deleted after delete on insight_episodes
    referencing old table as rollup_old
    for each statement execute function vigil_episode_rollup_marked();
