package dev.vigil.results.internal;

import org.jspecify.annotations.Nullable;

/**
 * The SQL of applying a result, shared by the hybrid and the naive writer so both have the same
 * semantics. Named parameters are JDBI's; {@code %ZONE%} is replaced by the zone predicate, because
 * {@code zone_id is not distinct from ?} cannot use an index while {@code zone_id is null} and
 * {@code zone_id = ?} can.
 */
public final class InsightSql {

    private InsightSql() {}

    /** Locks the target row: results for one target are applied one at a time, in order. */
    static final String LOCK_TARGET =
            """
            select account_id, zone_id, last_result_at, last_scan_id
            from targets
            where target_id = :target and deleted_at is null
            for update
            """;

    /**
     * Upserts the findings of {@code %SOURCE%} (a relation of check_id, resource_key, severity,
     * issue_type, subject, message, context, ord; the unnest and per-row paths, while the COPY path
     * has its own statements in {@link StagingSql}) and audits what it opened or reopened, in one
     * statement. Findings are deduplicated by identity first (the last one wins), because ON
     * CONFLICT DO UPDATE may not touch the same row twice in one statement. {@code prev} reads the
     * pre-statement snapshot, which is how a reopen is told from an update of an open insight;
     * {@code xmax = 0} tells an insert from an update. Dismissed stays as it was: it is the user's
     * decision.
     */
    static final String UPSERT =
            """
            with src as (
                select distinct on (check_id, resource_key)
                       check_id, resource_key, severity, issue_type, subject, message, context
                from (%SOURCE%) s
                order by check_id, resource_key, ord desc
            ),
            prev as (
                select i.insight_id
                from insights i
                join src on i.check_id = src.check_id and i.resource_key = src.resource_key
                where i.account_id = :account and %ZONE% and i.status = 'resolved'
            ),
            ups as (
                insert into insights as i (account_id, zone_id, check_id, resource_key, severity,
                                           issue_type, subject, message, context, status,
                                           first_seen_at, last_seen_at, last_scan_id)
                select :account, cast(:zone as text), check_id, resource_key, severity, issue_type,
                       subject, message, context, 'open', :at, :at, :scan
                from src
                on conflict (account_id, zone_id, check_id, resource_key) do update
                set severity = excluded.severity,
                    issue_type = excluded.issue_type,
                    subject = excluded.subject,
                    message = excluded.message,
                    context = excluded.context,
                    last_seen_at = excluded.last_seen_at,
                    last_scan_id = excluded.last_scan_id,
                    status = 'open',
                    resolved_at = null
                returning i.insight_id, (i.first_seen_at = :at) as inserted
            ),
            changes as (
                select insight_id,
                       case when inserted then 'opened' else 'reopened' end as action,
                       case when inserted then null else 'resolved' end as from_status
                from ups
                where inserted or insight_id in (select insight_id from prev)
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, cast(:zone as text), insight_id, action, from_status, 'open',
                       'system', jsonb_build_object('scan_id', cast(:scan as text))
                from changes
            )
            select (select count(*) from src) as findings,
                   (select count(*) from changes where action = 'opened') as opened,
                   (select count(*) from changes where action = 'reopened') as reopened
            """;

    /** The findings of one call, bound as parallel arrays (the small-result path). */
    static final String UNNEST_SOURCE =
            """
            select * from unnest(cast(:check_ids as text[]), cast(:resource_keys as text[]),
                                 cast(:severities as text[]), cast(:issue_types as text[]),
                                 cast(:subjects as text[]), cast(:messages as text[]),
                                 cast(:contexts as jsonb[]))
                     with ordinality as u(check_id, resource_key, severity, issue_type, subject,
                                          message, context, ord)
            """;

    /** One finding as a one-row relation (the naive writer: one statement per finding). */
    static final String SINGLE_ROW_SOURCE =
            """
            select cast(:check_id as text) as check_id, cast(:resource_key as text) as resource_key,
                   cast(:severity as text) as severity, cast(:issue_type as text) as issue_type,
                   cast(:subject as text) as subject, cast(:message as text) as message,
                   cast(:context as jsonb) as context, 1 as ord
            """;

    /** The COPY path's staging rows of one call (see {@link StagedUpsert}). */
    static final String COPY_INTO_STAGING =
            "copy insight_staging (batch_id, ord, check_id, resource_key, severity, issue_type,"
                    + " subject, message, context) from stdin";

    static final String CLEAR_STAGING = "delete from insight_staging where batch_id = :batch";

    /**
     * Resolves the open insights of evaluated checks that this scan did not see (every finding it
     * saw now carries its scan id) and audits them. Errored checks are excluded explicitly, in case
     * a worker lists a check in both.
     */
    static final String RESOLVE =
            """
            with res as (
                update insights i
                set status = 'resolved', resolved_at = :at
                where i.account_id = :account and %ZONE% and i.status = 'open'
                  and i.check_id = any(cast(:evaluated as text[]))
                  and not (i.check_id = any(cast(:errored as text[])))
                  and i.last_scan_id <> :scan
                returning i.insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, cast(:zone as text), insight_id, 'resolved', 'open', 'resolved',
                       'system', jsonb_build_object('scan_id', cast(:scan as text))
                from res
            )
            select count(*) from res
            """;

    /**
     * Queues the alerts of this transaction (issue 19): one {@code alert_outbox} row per insight
     * event this transaction audited (opened, reopened, resolved; both write paths audit with the
     * same {@code detail}, and {@code now()} is the transaction's start, so {@code at = now()}
     * finds exactly this transaction's rows through {@code audit_log_account_at_idx}) and per
     * enabled rule of the account it matches, unless the insight is dismissed (a user's decision
     * that it needs no attention, which alerting on it would overrule): not paused, its destination
     * not disabled, the event among its triggers, every filter passed. A filter is a list (null:
     * none) and a negation; a null zone is in no list, so it passes a zone filter only when
     * negated; a family is a check id's prefix before the first dot. The dedup key is rule,
     * insight, event and the scan time (for opened and reopened, the start of the insight's open
     * period), so a replayed scan adds nothing and a later reopen alerts again. Plain SQL over the
     * alert tables: {@code results} knows nothing of the {@code alerts} feature, which reads the
     * rows. Run only when something opened, reopened or resolved: a steady scan pays nothing.
     */
    static final String QUEUE_ALERTS =
            """
            insert into alert_outbox (rule_id, account_id, insight_id, trigger, period_start,
                                      scan_id, dedup_key)
            select r.rule_id, a.account_id, a.insight_id, a.action, :at, :scan,
                   concat_ws(':', r.rule_id, a.insight_id, a.action,
                             extract(epoch from cast(:at as timestamptz)))
            from audit_log a
            join insights i on i.account_id = a.account_id and i.insight_id = a.insight_id
            join alert_rules r on r.account_id = a.account_id and r.paused_at is null
                              and a.action = any(r.triggers)
            join alert_destinations d on d.destination_id = r.destination_id
                                     and d.disabled_at is null
            where a.account_id = :account and a.at = now() and a.changed_by = 'system'
              and a.action in ('opened', 'reopened', 'resolved')
              and a.detail ->> 'scan_id' = cast(:scan as text)
              -- a dismissed insight's reopen or resolve is audited, and alerts no one
              and not i.dismissed
              -- evaluated once: an account without rules reads none of its audit rows
              and exists (select 1 from alert_rules r0
                          where r0.account_id = :account and r0.paused_at is null)
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

    static final String RECORD_SCAN =
            """
            insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                               rule_set_version, checks_evaluated, checks_errored, findings,
                               opened, resolved, write_path)
            values (:scan, :target, :account, cast(:zone as text), :at, :rule_set_version,
                    :checks_evaluated, :checks_errored, :findings, :opened, :resolved, :path)
            """;

    static final String ADVANCE_TARGET =
            """
            update targets set last_result_at = :at, last_scan_id = :scan,
                   section_errors = cast(:section_errors as jsonb),
                   -- an exponentially smoothed scan duration for the lane classifier: a new
                   -- measurement counts 30 %, so one slow fetch does not move a target at once
                   scan_duration_ms = case
                       when cast(:duration_ms as double precision) is null then scan_duration_ms
                       when scan_duration_ms is null then :duration_ms
                       else 0.7 * scan_duration_ms + 0.3 * :duration_ms end
            where target_id = :target
            """;

    /** {@code sql} with its {@code %ZONE%} predicate for a zone id or none. */
    static String forZone(String sql, @Nullable String zoneId) {
        return sql.replace("%ZONE%", zoneId == null ? "i.zone_id is null" : "i.zone_id = :zone");
    }
}
