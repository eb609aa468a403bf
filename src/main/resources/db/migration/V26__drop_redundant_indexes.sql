-- Two indexes whose columns lead a unique index of the same table: every lookup they served, the
-- longer index serves as well, and every insert paid for both (MigrationsIT now fails on another).
--
-- insights_zone_idx (account_id, zone_id, check_id) leads the insights' identity (account_id,
-- zone_id, check_id, resource_key). Worse than redundant: while the insights are young the two
-- look alike to the planner (one row per probe, equal costs), and it chose this one for the
-- small-result path's per-finding probe (BatchSql.APPLY), which then filtered every insight of the
-- finding's check by resource key. A steady rescan of 10,000 findings of 3 checks read 3,333 rows
-- per finding: the statement took 3.4 s, and 0.14 s once the probe used the identity (EXPLAIN
-- ANALYZE on the embedded server, 2026-12-05).
drop index insights_zone_idx;

-- alert_destinations_account_idx (account_id) leads alert_destinations (account_id, name) unique.
drop index alert_destinations_account_idx;
