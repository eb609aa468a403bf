-- Pushed configuration snapshots become versioned: every push gets the next version of its target,
-- and the recent versions are kept so that a worker consuming the change event of version N reads
-- exactly the document of version N (the event names the sections changed between N-1 and N).
-- Older versions are pruned by the API as it stores new ones.
alter table config_snapshots
    add column version bigint not null default 1,
    add column changed_sections text[] not null default '{}';
alter table config_snapshots drop constraint config_snapshots_pkey;
alter table config_snapshots add primary key (target_id, version);
