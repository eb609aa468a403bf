package dev.vigil.results.internal;

import org.jspecify.annotations.Nullable;

/**
 * The SQL of applying a result one statement per step: the COPY and the naive (per-row) paths; the
 * small-result path is {@link BatchSql}, whose end of transaction every path shares. Named
 * parameters are JDBI's; {@code %ZONE%} is replaced by the zone predicate, because {@code zone_id
 * is not distinct from ?} cannot use an index while {@code zone_id is null} and {@code zone_id = ?}
 * can.
 */
public final class InsightSql {

    private InsightSql() {}

    /** Locks the target row: results for one target are applied one at a time, in order. */
    static final String LOCK_TARGET =
            """
            select target_id, account_id, zone_id, last_result_at, last_scan_id
            from targets
            where target_id = :target and deleted_at is null
            for update
            """;

    /**
     * Upserts the findings of {@code %SOURCE%} (a relation of check_id, resource_key, severity,
     * issue_type, subject, message, context, ord; the per-row path, while the COPY path has its own
     * statements in {@link StagingSql}) and audits what it opened or reopened, in one statement.
     * Findings are deduplicated by identity first (the last one wins), because ON CONFLICT DO
     * UPDATE may not touch the same row twice in one statement. {@code prev} reads the
     * pre-statement snapshot, which is how a reopen is told from an update of an open insight;
     * {@code xmax = 0} tells an insert from an update. Dismissed stays as it was: it is the user's
     * decision.
     */
    static final String UPSERT =
            ScanDetail.splice(
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
                       'system', %DETAIL%
                from changes
            )
            select (select count(*) from src) as findings,
                   (select count(*) from changes where action = 'opened') as opened,
                   (select count(*) from changes where action = 'reopened') as reopened
            """,
                    ScanDetail.BOUND);

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
     * Resolves the open insights of evaluated checks that this scan did not see, as {@code
     * %UNSEEN%} tells them, and audits them. Errored checks are excluded explicitly, in case a
     * worker lists a check in both.
     */
    static String resolve(String unseen) {
        return RESOLVE_WHERE.replace("%UNSEEN%", unseen);
    }

    private static final String RESOLVE_WHERE =
            ScanDetail.splice(
                    """
            with res as (
                update insights i
                set status = 'resolved', resolved_at = :at
                where i.account_id = :account and %ZONE% and i.status = 'open'
                  and i.check_id = any(cast(:evaluated as text[]))
                  and not (i.check_id = any(cast(:errored as text[])))
                  and %UNSEEN%
                returning i.insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, cast(:zone as text), insight_id, 'resolved', 'open', 'resolved',
                       'system', %DETAIL%
                from res
            )
            select count(*) from res
            """,
                    ScanDetail.BOUND);

    /**
     * The per-row path's resolve: every finding the scan saw now carries its scan id. (The COPY
     * path resolves against its staged batch, {@link StagingSql#RESOLVE_UNSTAGED}.)
     */
    static final String RESOLVE = resolve("i.last_scan_id <> :scan");

    /** {@code sql} with its {@code %ZONE%} predicate for a zone id or none. */
    static String forZone(String sql, @Nullable String zoneId) {
        return sql.replace("%ZONE%", zoneId == null ? "i.zone_id is null" : "i.zone_id = :zone");
    }
}
