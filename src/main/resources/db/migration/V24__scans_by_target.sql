-- An insight's context (api.internal.ContextReads) lists the scans of its target that saw it:
--   where account_id = :a and target_id = :t and scanned_at between :first and :last
-- scans had no index over its target, so each read scanned every partition whole: with a fleet
-- scanned every few minutes, millions of rows a day for one insight's page. This index answers it
-- from the target's own scans. It costs each scan's insert one more btree entry (a scan row is one
-- per scan, however many findings it has).
create index scans_target_idx on scans (target_id, scanned_at);
