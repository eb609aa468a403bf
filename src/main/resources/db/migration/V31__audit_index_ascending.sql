-- The audit reads' index by account and time in ascending order (issue 20). V3 declared
-- audit_log_account_at_idx as (account_id, at desc, audit_id desc), the order the reads ask for.
-- But the rows one transaction audits share one `at` (now()) and take rising ids, so in that
-- order each new entry lands just before the previous one: never on the rightmost page's fast
-- path, and every page split leaves a half-filled page behind. On the 500,000-finding results call
-- that index alone cost 0.55 s of the audit statement's 3.6 s (EXPLAIN ANALYZE of the statement
-- with each index order, docs/perf/2026-12-07-the-large-call-by-statement.md). A btree is read
-- backwards as cheaply as forwards, so every read that wants "at desc, audit_id desc" (the audit
-- pages with their keyset, the rollout history, the alert queue's "at = now()") is served by the
-- ascending index as it was by the descending one. The name stays: comments and plans refer to it.
create index audit_log_account_at_asc_idx on audit_log (account_id, at, audit_id);
drop index audit_log_account_at_idx;
alter index audit_log_account_at_asc_idx rename to audit_log_account_at_idx;
