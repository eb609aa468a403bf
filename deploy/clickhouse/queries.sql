-- Example queries over vigil.insight_events (insight-events.sql). Times are scan times: an
-- opening is dated by the scan that first saw the insight, a resolve by the scan that no longer
-- did, however late the events were published.

-- MTTR per severity per month: each resolve paired with the opening or reopening before it, for
-- one account (drop the filter for the whole deployment). The severity is the one the resolve
-- carried (a rule that changed an insight's severity counts it at its last one).
SELECT toStartOfMonth(occurred_at)                               AS month,
       severity,
       count()                                                   AS resolved,
       round(avg(dateDiff('second', started, occurred_at)) / 3600, 1)       AS mttr_hours,
       round(quantile(0.5)(dateDiff('second', started, occurred_at)) / 3600, 1) AS median_hours,
       round(quantile(0.9)(dateDiff('second', started, occurred_at)) / 3600, 1) AS p90_hours
FROM
(
    SELECT insight_id, kind, severity, occurred_at,
           lagInFrame(occurred_at) OVER w AS started,
           lagInFrame(kind) OVER w        AS previous
    FROM vigil.insight_events FINAL
    WHERE account_id = {account:String}
      AND kind IN ('opened', 'reopened', 'resolved')
    WINDOW w AS (PARTITION BY insight_id ORDER BY occurred_at
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
WHERE kind = 'resolved' AND previous IN ('opened', 'reopened')
GROUP BY month, severity
ORDER BY month, severity;

-- Open trend: insights open at the end of each day, per severity, for one account. Every
-- opening or reopening adds one, every resolve removes one; the running sum starts from the first
-- event ClickHouse holds, so load the history first (README.md, "Backfill") or read it as the
-- change since then.
SELECT day,
       severity,
       sum(delta) OVER (PARTITION BY severity ORDER BY day
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS open_at_end_of_day
FROM
(
    SELECT toDate(occurred_at) AS day,
           severity,
           countIf(kind IN ('opened', 'reopened')) - countIf(kind = 'resolved') AS delta
    FROM vigil.insight_events FINAL
    WHERE account_id = {account:String}
    GROUP BY day, severity
)
ORDER BY day, severity;

-- Triage activity per month: dismissals and classifications, by who made them.
SELECT toStartOfMonth(occurred_at) AS month, kind, actor, count() AS events
FROM vigil.insight_events FINAL
WHERE account_id = {account:String}
  AND kind IN ('dismissed', 'undismissed', 'classified', 'unclassified')
GROUP BY month, kind, actor
ORDER BY month, kind, events DESC;
