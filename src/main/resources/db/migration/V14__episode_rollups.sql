-- Monthly rollups of resolved episodes (issue 21): MTTR and SLA attainment over a year for a large
-- account would otherwise read every episode it resolved that year (hundreds of thousands of rows
-- and a sort for the median). A rolled-up month answers from a few hundred rows instead.
--
-- Kept off the write path on purpose: updating a shared counter row in the results transaction
-- would serialize every writer resolving insights of one account and severity, and two writers
-- touching two such rows in opposite orders would deadlock. Instead the api role's upkeep pass
-- (results.EpisodeRollups) rolls up each closed month once, and a trigger notes every later change
-- to a resolved episode of a rolled-up month in episode_rollup_dirty (a plain insert: no lock on
-- a shared row). Readers
-- use the rollup for a month only when it is rolled up and the account has no dirty note for it;
-- otherwise they read the episodes, so an answer is always exact to the episodes' last commit.

-- One row per account, UTC month of resolution, severity, dismissal and duration bucket. The
-- bucket is the duration rounded up to the hour below one day, to the day above, stored as its
-- upper bound in seconds: SLA targets are whole days, so "resolved within N days" is exact from
-- the buckets; the mean is exact from the sums; the median is interpolated from each bucket's mean.
create table episode_rollups (
    account_id  text        not null,
    month       date        not null,
    severity    text        not null check (severity in ('low', 'moderate', 'high', 'critical')),
    dismissed   boolean     not null,
    upper_s     bigint      not null,
    resolved    bigint      not null,
    sum_seconds float8      not null,
    primary key (account_id, month, severity, dismissed, upper_s)
);

-- The months rolled up for every account. A month is recorded (not ready) under a brief share row
-- exclusive lock on insight_episodes, so every writer after it notes its changes; the rollup is
-- then computed in a second transaction and the month made ready, and readers use only ready
-- months. A pass that failed between the two leaves the month not ready, and the next one redoes it.
create table episode_rollup_months (
    month     date        primary key,
    ready     boolean     not null default false,
    rolled_at timestamptz not null default now()
);

-- A change to a resolved episode (resolved, reopened by a late backlog, dismissed, severity
-- changed) after its month may have been rolled up. Drained by the upkeep pass, which recomputes
-- the account's month when it is rolled up and drops the note either way.
create table episode_rollup_dirty (
    note_id    bigint      generated always as identity primary key,
    account_id text        not null,
    month      date        not null
);
create index episode_rollup_dirty_idx on episode_rollup_dirty (account_id, month);

-- The duration bucket of an episode (its upper bound in seconds).
create function vigil_episode_bucket(opened timestamptz, resolved timestamptz) returns bigint
language sql immutable as $$
    select case when d <= 86400 then greatest(1, ceil(d / 3600.0))::bigint * 3600
                else ceil(d / 86400.0)::bigint * 86400 end
    from (select extract(epoch from (resolved - opened)) as d) x
$$;

-- Notes the account's month when it is rolled up (a month not rolled up is read from the episodes
-- anyway, so the hot path, resolving in the current month, only looks the month up). Rolling a
-- month records it under a share row exclusive lock on insight_episodes, so a writer either
-- committed before (and the rollup, computed after, sees its change) or finds the month recorded.
create function vigil_episode_rollup_note(account text, resolved timestamptz) returns void
language sql as $$
    insert into episode_rollup_dirty (account_id, month)
    select account, m.month from episode_rollup_months m
    where m.month = date_trunc('month', resolved, 'UTC')::date
$$;

create function vigil_episode_rollup_dirty() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.resolved_at is not null then
        perform vigil_episode_rollup_note(old.account_id, old.resolved_at);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.resolved_at is not null
       and (tg_op = 'INSERT' or old.resolved_at is null
            or date_trunc('month', old.resolved_at, 'UTC')
               <> date_trunc('month', new.resolved_at, 'UTC')) then
        perform vigil_episode_rollup_note(new.account_id, new.resolved_at);
    end if;
    return null;
end
$$;

-- Only changes a rollup can see: an open episode's severity or dismissal changing fires nothing.
create trigger episode_rollup_resolved after insert on insight_episodes
    for each row when (new.resolved_at is not null)
    execute function vigil_episode_rollup_dirty();
create trigger episode_rollup_changed after update on insight_episodes
    for each row
    when ((old.resolved_at is not null or new.resolved_at is not null)
          and (old.resolved_at is distinct from new.resolved_at
               or old.opened_at is distinct from new.opened_at
               or old.severity is distinct from new.severity
               or old.dismissed is distinct from new.dismissed))
    execute function vigil_episode_rollup_dirty();
create trigger episode_rollup_deleted after delete on insight_episodes
    for each row when (old.resolved_at is not null)
    execute function vigil_episode_rollup_dirty();
