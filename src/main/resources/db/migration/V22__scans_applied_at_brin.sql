-- The rollout guard (api.internal.RolloutReports, every 2 s during a canary) and a rollback
-- (api.internal.RuleSetStore) read the scans applied since the stage began:
--   where rule_set_version = :v and applied_at >= :since
-- scans had no index but its primary key (scan_id, applied_at), so each read scanned the whole of
-- the month's partition, growing with every scan of the month. Rows arrive in applied_at order
-- (its default is now()), so a BRIN index over it is a few pages per partition and costs an insert
-- next to nothing, and lets those reads visit only the block ranges since the stage began.
create index scans_applied_at_brin on scans using brin (applied_at);
