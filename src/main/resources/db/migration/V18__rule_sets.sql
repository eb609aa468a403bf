-- Rule rollout (issue 23): rule sets as versioned stored objects, the rollout of a candidate
-- (shadow, canary, promotion, rollback), what the workers counted of it, and which versions each
-- worker holds. Small tables: a handful of versions, one rollout row, one counter row per
-- (candidate, check), one row per worker process.

-- A pushed rule set: the shipped catalogue plus these user files, known by its digest (what
-- RuleSets computes over every rule text, catalogue included, so a worker loading the same files
-- from a directory gets the same version).
create table rule_sets (
    version     text        primary key,
    catalogue   text        not null,   -- the catalogue's own version the digest covers
    files       jsonb       not null,   -- [{"name": ..., "text": ...}], by name
    checks      integer     not null,
    pushed_at   timestamptz not null default now(),
    pushed_by   text        not null
);

-- The rollout in force: one row. active null means nothing was ever pushed (the workers keep
-- their VIGIL_RULES_DIR). generation counts every change, so workers report which they hold.
create table rule_rollout (
    only_row            boolean     primary key default true check (only_row),
    generation          bigint      not null default 0,
    active              text        references rule_sets (version),
    previous            text        references rule_sets (version),
    candidate           text        references rule_sets (version),
    stage               text        not null default 'none'
                                    check (stage in ('none', 'shadow', 'canary')),
    percent             integer     not null default 0 check (percent in (0, 1, 10, 50, 100)),
    stage_since         timestamptz not null default now(),
    -- guards of the canary (docs/rules.md, "Guards"), set by each promotion
    guard_min_targets   integer     not null default 5,
    guard_error_rate    double precision not null default 0.1,
    guard_opened        double precision not null default 0.5,
    guard_eval_ratio    double precision not null default 3.0,
    guard_checked_at    timestamptz not null default '-infinity',
    -- checks of a rolled-back candidate the active version lacks: full scans resolve them
    retired             text[]      not null default '{}',
    -- targets a rollback must re-evaluate once every live worker holds reeval_generation
    reeval_targets      text[]      not null default '{}',
    reeval_generation   bigint,
    rollbacks           bigint      not null default 0,
    check ((candidate is null) = (stage = 'none')),
    check ((stage = 'canary') = (percent > 0))
);
insert into rule_rollout default values;

-- Shadow counts per candidate and check ('' for the whole scan): summed over every worker report.
create table rule_shadow_counts (
    candidate       text    not null references rule_sets (version) on delete cascade,
    check_id        text    not null,
    scans           bigint  not null default 0,
    would_open      bigint  not null default 0,
    would_resolve   bigint  not null default 0,
    primary key (candidate, check_id)
);

-- A few example targets per candidate, check and change.
create table rule_shadow_examples (
    candidate       text        not null references rule_sets (version) on delete cascade,
    check_id        text        not null,
    change          text        not null check (change in ('open', 'resolve')),
    target_id       text        not null,
    resource_key    text        not null,
    seen_at         timestamptz not null default now(),
    primary key (candidate, check_id, change, target_id, resource_key)
);

-- Applied-evaluation counts per candidate, cohort and check ('' for the whole scan, with the
-- evaluation time): what the canary guards compare.
create table rule_cohort_counts (
    candidate       text    not null references rule_sets (version) on delete cascade,
    cohort          text    not null check (cohort in ('canary', 'rest')),
    check_id        text    not null,
    evaluations     bigint  not null default 0,
    errors          bigint  not null default 0,
    eval_nanos      bigint  not null default 0,
    primary key (candidate, cohort, check_id)
);

-- The worker processes and what they hold, as of their last sync.
create table rule_workers (
    worker_id   text        primary key,
    generation  bigint      not null,
    versions    text[]      not null,
    seen_at     timestamptz not null default now()
);
