-- The insight list's default order (severity, then id, both descending; InsightSort.Order.SEVERITY)
-- as an index. A fleet read spans hundreds of accounts: without it, its first page sorted every
-- open insight of them (240,000 rows of a 1,000,000-row table for a token of 300 of 1,000
-- accounts: 465 ms at the median, `vigil bench fleet`). With it, each partition is read in order
-- and merged, the account predicate filtering as it goes, and the scan stops after one page.
-- An account's own list keeps using insights_open_idx, which narrows to one account first.
create index insights_severity_order_idx on insights
    ((array_position(array['low', 'moderate', 'high', 'critical'], severity)) desc, insight_id desc);
