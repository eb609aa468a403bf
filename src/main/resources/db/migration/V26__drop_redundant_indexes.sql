-- Two indexes whose columns lead a unique index of the same table: every lookup they served, the
-- longer index serves as well, and every insert paid for both (MigrationsIT now fails on another).
--
-- insights_zone_idx (account_id, zone_id, check_id) leads the insights' identity (account_id,
-- zone_id, check_id, resource_key); a results call of 500,000 new insights no longer writes it.
-- Found while timing steady rescans (vigil bench write, 2026-12-05): with statistics that still
-- described the table as empty, the planner took this index for the small-result path's
-- per-finding probe (BatchSql.APPLY) and filtered every insight of the finding's check by resource
-- key, 3,333 rows per finding of a 10,000-finding rescan (3.4 s, against 0.14 s through the
-- identity). Dropping it does not cure that: with such statistics every index led by account_id
-- costs the same to the planner, and it then took insights_open_idx. Current statistics do (see
-- the benchmark's note on its rescans).
drop index insights_zone_idx;

-- alert_destinations_account_idx (account_id) leads alert_destinations (account_id, name) unique.
drop index alert_destinations_account_idx;
