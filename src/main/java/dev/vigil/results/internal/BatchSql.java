package dev.vigil.results.internal;

/**
 * The SQL of applying many small results in one transaction (issue 20): every statement takes the
 * scans of one <em>wave</em> (results of distinct targets) as parallel arrays, so a wave of a
 * hundred scans costs the same handful of round trips as one scan. Arrays of uuids and timestamps
 * are bound as text and cast, which every driver version binds the same way.
 *
 * <p>Only what changed is written: a finding whose insight is open and identical is not touched (no
 * dead tuple, no WAL), its scan is recorded once in {@code scans} and the target's {@code
 * last_result_at}. Absent findings are found by comparing the open insights with the scan's
 * findings, not by a scan id stamped on every present insight.
 */
final class BatchSql {

    private BatchSql() {}

    /**
     * Locks the targets of a batch in one stable order (so two batches never wait on each other in
     * a cycle) and reads what admission needs.
     */
    static final String LOCK_TARGETS =
            """
            select target_id, account_id, zone_id, last_result_at, last_scan_id
            from targets
            where target_id = any(cast(:targets as text[])) and deleted_at is null
            order by target_id
            for update
            """;

    /**
     * Applies the findings of one wave in one statement: inserts new insights (opened), reopens
     * resolved ones, rewrites an open one only when its content changed, resolves the open insights
     * of evaluated checks that a scan no longer found, and audits each transition with the scan's
     * id. {@code %ZONE_JOIN%} and {@code %ZONE_RESOLVE%} are the zone predicates of the wave's kind
     * (zone targets or account targets), which keep the unique index usable. Findings are
     * deduplicated by identity within their scan (the last one wins). Returns per scan (its 1-based
     * index in the wave): distinct findings, opened, reopened, resolved. The targets of a wave are
     * distinct, so no insight is touched twice by one statement.
     */
    static final String APPLY =
            ScanDetail.splice(
                    """
            with scn as (
                select s.account_id, s.zone_id, s.at, s.scan_id, s.idx,
                       string_to_array(s.checks, chr(31)) as checks
                from unnest(cast(:s_accounts as text[]), cast(:s_zones as text[]),
                            cast(cast(:s_ats as text[]) as timestamptz[]),
                            cast(cast(:s_scans as text[]) as uuid[]), cast(:s_checks as text[]))
                     with ordinality as s(account_id, zone_id, at, scan_id, checks, idx)
            ),
            src as (
                select distinct on (u.idx, u.check_id, u.resource_key)
                       u.idx, s.account_id, s.zone_id, s.at, s.scan_id, u.check_id,
                       u.resource_key, u.severity, u.issue_type, u.subject, u.message, u.context
                from unnest(cast(:f_idx as int[]), cast(:check_ids as text[]),
                            cast(:resource_keys as text[]), cast(:severities as text[]),
                            cast(:issue_types as text[]), cast(:subjects as text[]),
                            cast(:messages as text[]), cast(:contexts as jsonb[]))
                         with ordinality as u(idx, check_id, resource_key, severity, issue_type,
                                              subject, message, context, ord)
                join scn s on s.idx = u.idx
                order by u.idx, u.check_id, u.resource_key, u.ord desc
            ),
            -- one unique-index probe per finding (offset 0 keeps the lateral a parameterized scan,
            -- so each probe reaches one partition whatever the size of the table)
            cur as (
                select src.*, i.insight_id, i.status as old_status,
                       (i.severity, i.issue_type, i.subject, i.message, i.context)
                           is distinct from (src.severity, src.issue_type, src.subject,
                                             src.message, src.context) as differs
                from src
                cross join lateral (
                    select i.insight_id, i.status, i.severity, i.issue_type, i.subject,
                           i.message, i.context
                    from insights i
                    where i.account_id = src.account_id and %ZONE_JOIN%
                      and i.check_id = src.check_id and i.resource_key = src.resource_key
                    offset 0) i
            ),
            ins as (
                insert into insights (account_id, zone_id, check_id, resource_key, severity,
                                      issue_type, subject, message, context, status,
                                      first_seen_at, last_seen_at, last_scan_id)
                select account_id, zone_id, check_id, resource_key, severity, issue_type,
                       subject, message, context, 'open', at, at, scan_id
                from src
                where not exists (select 1 from cur
                                  where cur.idx = src.idx and cur.check_id = src.check_id
                                    and cur.resource_key = src.resource_key)
                returning insight_id, account_id, zone_id, last_scan_id as scan_id, first_seen_at as at
            ),
            upd as (
                update insights i
                set severity = c.severity, issue_type = c.issue_type, subject = c.subject,
                    message = c.message, context = c.context, status = 'open', resolved_at = null,
                    last_seen_at = c.at, last_scan_id = c.scan_id
                from cur c
                where i.account_id = c.account_id and i.insight_id = c.insight_id
                  and (c.old_status = 'resolved' or c.differs)
                returning i.insight_id, c.account_id, c.zone_id, c.scan_id, c.at, c.old_status
            ),
            -- the open insights of each scan's evaluated checks that it did not find: one range
            -- scan of the target's insights per scan (the check is a filter, not an index key)
            gone as (
                select s.account_id, s.zone_id, s.at, s.scan_id, o.insight_id
                from scn s
                cross join lateral (
                    select i.insight_id, i.check_id
                    from insights i
                    where i.account_id = s.account_id and %ZONE_RESOLVE% and i.status = 'open'
                    offset 0) o
                where array_position(s.checks, o.check_id) is not null
                  and o.insight_id not in (select insight_id from cur)
            ),
            res as (
                update insights i
                set status = 'resolved', resolved_at = g.at
                from gone g
                where i.account_id = g.account_id and i.insight_id = g.insight_id
                returning i.insight_id, g.account_id, g.zone_id, g.scan_id, g.at
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select account_id, zone_id, insight_id, 'opened', null, 'open', 'system',
                       %DETAIL%
                from ins
                union all
                select account_id, zone_id, insight_id, 'reopened', 'resolved', 'open', 'system',
                       %DETAIL%
                from upd where old_status = 'resolved'
                union all
                select account_id, zone_id, insight_id, 'resolved', 'open', 'resolved', 'system',
                       %DETAIL%
                from res
            )
            select s.idx, coalesce(f.n, 0) as findings, coalesce(o.n, 0) as opened,
                   coalesce(r.n, 0) as reopened, coalesce(x.n, 0) as resolved
            from scn s
            left join (select idx, count(*) as n from src group by idx) f on f.idx = s.idx
            left join (select scan_id, count(*) as n from ins group by scan_id) o
                   on o.scan_id = s.scan_id
            left join (select scan_id, count(*) as n from upd
                       where old_status = 'resolved' group by scan_id) r
                   on r.scan_id = s.scan_id
            left join (select scan_id, count(*) as n from res group by scan_id) x
                   on x.scan_id = s.scan_id
            order by s.idx
            """,
                    ScanDetail.of("cast(scan_id as text)", "at"));

    /** The APPLY statement for a wave of zone targets, or of account targets. */
    static String apply(boolean zones) {
        return APPLY.replace("%ZONE_JOIN%", zones ? "i.zone_id = src.zone_id" : "i.zone_id is null")
                .replace("%ZONE_RESOLVE%", zones ? "i.zone_id = s.zone_id" : "i.zone_id is null");
    }

    /** Records the applied scans of a wave, one row each. */
    private static final String RECORD_SCANS =
            """
            insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                               rule_set_version, checks_evaluated, checks_errored, findings,
                               opened, resolved, write_path)
            select * from unnest(cast(cast(:scans as text[]) as uuid[]), cast(:targets as text[]),
                                 cast(:accounts as text[]), cast(:zones as text[]),
                                 cast(cast(:ats as text[]) as timestamptz[]),
                                 cast(:versions as text[]), cast(:evaluated as int[]),
                                 cast(:errored as int[]), cast(:findings as int[]),
                                 cast(:opened as int[]), cast(:resolved as int[]),
                                 cast(:paths as text[]))
            """;

    /**
     * Advances the watermarks of a wave's targets (distinct) and keeps an exponentially smoothed
     * scan duration for the lane classifier: a new measurement counts 30 %, so one slow fetch does
     * not move a target at once.
     */
    private static final String ADVANCE_TARGETS =
            """
            update targets t
            set last_result_at = u.at, last_scan_id = u.scan_id,
                section_errors = u.section_errors,
                scan_duration_ms = case
                    when u.duration_ms is null then t.scan_duration_ms
                    when t.scan_duration_ms is null then u.duration_ms
                    else 0.7 * t.scan_duration_ms + 0.3 * u.duration_ms end
            from unnest(cast(:targets as text[]), cast(cast(:ats as text[]) as timestamptz[]),
                        cast(cast(:scans as text[]) as uuid[]), cast(:section_errors as jsonb[]),
                        cast(:durations as double precision[]))
                 as u(target_id, at, scan_id, section_errors, duration_ms)
            where t.target_id = u.target_id
            """;

    /**
     * Queues the alerts of the listed scans (issue 19; those of a transaction that opened, reopened
     * or resolved something): one {@code alert_outbox} row per insight event the transaction
     * audited for the scan (both write paths audit with the scan id in {@code detail}, and {@code
     * now()} is the transaction's start, so {@code at = now()} finds exactly this transaction's
     * rows through {@code audit_log_account_at_idx}) and per enabled rule of the account it
     * matches, unless the insight is dismissed (a user's decision that it needs no attention, which
     * alerting on it would overrule): not paused, its destination not disabled, the event among its
     * triggers, every filter passed. A filter is a list (null: none) and a negation; a null zone is
     * in no list, so it passes a zone filter only when negated; a family is a check id's prefix
     * before the first dot. The dedup key is rule, insight, event and the scan time (for opened and
     * reopened, the start of the insight's open period), so a replayed scan adds nothing and a
     * later reopen alerts again. Plain SQL over the alert tables: {@code results} knows nothing of
     * the {@code alerts} feature, which reads the rows. Run only for scans that changed something:
     * a steady scan pays nothing.
     */
    private static final String QUEUE_ALERTS =
            """
            insert into alert_outbox (rule_id, account_id, insight_id, trigger, period_start,
                                      scan_id, dedup_key)
            select r.rule_id, a.account_id, a.insight_id, a.action, s.at, cast(s.scan as uuid),
                   concat_ws(':', r.rule_id, a.insight_id, a.action, extract(epoch from s.at))
            from unnest(cast(:a_accounts as text[]), cast(cast(:a_ats as text[]) as timestamptz[]),
                        cast(:a_scans as text[])) as s(account_id, at, scan)
            join audit_log a on a.account_id = s.account_id and a.at = now()
                            and a.changed_by = 'system'
                            and a.action in ('opened', 'reopened', 'resolved')
                            and a.detail ->> 'scan_id' = s.scan
            join insights i on i.account_id = a.account_id and i.insight_id = a.insight_id
            join alert_rules r on r.account_id = a.account_id and r.paused_at is null
                              and a.action = any(r.triggers)
            join alert_destinations d on d.destination_id = r.destination_id
                                     and d.disabled_at is null
            where
              -- a dismissed insight's reopen or resolve is audited, and alerts no one
              not i.dismissed
              -- an account without rules reads none of its audit rows
              and exists (select 1 from alert_rules r0
                          where r0.account_id = s.account_id and r0.paused_at is null)
              and (r.zone_ids is null
                   or coalesce(a.zone_id = any(r.zone_ids), false) <> r.zone_negated)
              and (r.severities is null
                   or coalesce(i.severity = any(r.severities), false) <> r.severity_negated)
              and (r.issue_types is null
                   or coalesce(i.issue_type = any(r.issue_types), false) <> r.issue_type_negated)
              and (r.check_ids is null
                   or coalesce(i.check_id = any(r.check_ids), false) <> r.check_negated)
              and (r.families is null
                   or coalesce(split_part(i.check_id, '.', 1) = any(r.families), false)
                      <> r.family_negated)
            on conflict (dedup_key) do nothing
            """;

    /**
     * The end of a wave in one statement: queue the alerts of the scans that changed something
     * ({@code a_} arrays, empty when none did), record every applied scan, advance the targets'
     * watermarks. The alerts read the audit rows of the statements before this one (a statement's
     * own CTEs would not see them).
     */
    static final String FINISH =
            "with alerts as ("
                    + QUEUE_ALERTS
                    + "), recorded as ("
                    + RECORD_SCANS
                    + ")\n"
                    + ADVANCE_TARGETS;
}
