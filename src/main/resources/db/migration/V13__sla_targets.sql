-- SLA targets (issue 21): how many days an insight of each severity may stay open, per account.
-- An account without a row for a severity has the default (critical 7, high 30, moderate 90,
-- low 180 days; dev.vigil.api.internal.SlaTargets), so only changed targets are stored.
create table sla_targets (
    account_id  text        not null,
    severity    text        not null check (severity in ('low', 'moderate', 'high', 'critical')),
    days        integer     not null check (days between 1 and 3650),
    updated_at  timestamptz not null default now(),
    updated_by  text        not null,
    primary key (account_id, severity)
);
