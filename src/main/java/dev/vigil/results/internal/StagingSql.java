package dev.vigil.results.internal;

/**
 * The SQL of the COPY path ({@link StagedUpsert}): existing insights are updated and new ones
 * inserted by plain statements instead of {@code INSERT … ON CONFLICT} (which pays a speculative
 * insertion per row and needs a deduplicating sort first), or copied straight into a target that
 * has none. This is safe because every insight of a target is written only under that target's row
 * lock (see {@link InsightSql#LOCK_TARGET}): no other writer can insert one of these identities in
 * between, and the unique constraint would still fail the transaction if one did. {@code %ZONE%} as
 * in {@link InsightSql#forZone}.
 */
final class StagingSql {

    private StagingSql() {}

    /** Whether the target has any insight yet; when not, every finding is a new insight. */
    static final String TARGET_HAS_INSIGHTS =
            "select exists (select 1 from insights i where i.account_id = :account and %ZONE%)";

    /**
     * New insights straight from the stream, into a target that has none (see {@link
     * CopyRowEncoder#newInsights}): no staging, no second pass over the rows.
     */
    static final String COPY_INTO_INSIGHTS =
            "copy insights (account_id, zone_id, check_id, resource_key, severity, issue_type,"
                    + " subject, message, context, status, first_seen_at, last_seen_at,"
                    + " last_scan_id) from stdin";

    /**
     * Audits as opened the insights copied straight into the target: at that point they are all its
     * insights (it had none, and nothing else was written yet).
     */
    static final String AUDIT_COPIED =
            ScanDetail.splice(
                    """
            insert into audit_log (account_id, zone_id, insight_id, action, from_status, to_status,
                                   changed_by, detail)
            select :account, cast(:zone as text), i.insight_id, 'opened', null, 'open', 'system',
                   %DETAIL%
            from insights i
            where i.account_id = :account and %ZONE%
            """,
                    ScanDetail.BOUND);

    /**
     * Keeps only the last staged finding of each identity in the batch (the last one wins), so the
     * statements below never meet an identity twice.
     */
    static final String DEDUPE_STAGING =
            """
            delete from insight_staging s
            using insight_staging t
            where s.batch_id = :batch and t.batch_id = :batch
              and t.check_id = s.check_id and t.resource_key = s.resource_key and t.ord > s.ord
            """;

    /**
     * Refreshes the insights the staged findings name, writing only those that change: a resolved
     * one is reopened (and audited, read from the statement's snapshot before the update), an open
     * one whose content differs is rewritten, and an open one found as it was is not touched (no
     * dead tuple, no WAL; its last sighting is the target's last scan, as on the small path).
     * Returns how many staged findings named an insight (so the insert of the new ones knows
     * whether it must exclude any) and how many were reopened. Dismissed stays as it was.
     */
    static final String UPDATE_EXISTING =
            ScanDetail.splice(
                    """
            with m as (
                select i.insight_id, i.status as old_status, s.severity, s.issue_type, s.subject,
                       s.message, s.context,
                       (i.severity, i.issue_type, i.subject, i.message, i.context)
                           is distinct from (s.severity, s.issue_type, s.subject, s.message,
                                             s.context) as differs
                from insights i
                join insight_staging s on i.check_id = s.check_id and i.resource_key = s.resource_key
                where s.batch_id = :batch and i.account_id = :account and %ZONE%
            ),
            upd as (
                update insights i
                set severity = m.severity, issue_type = m.issue_type, subject = m.subject,
                    message = m.message, context = m.context, last_seen_at = :at,
                    last_scan_id = :scan, status = 'open', resolved_at = null
                from m
                where i.account_id = :account and i.insight_id = m.insight_id
                  and (m.old_status = 'resolved' or m.differs)
                returning i.insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, cast(:zone as text), insight_id, 'reopened', 'resolved', 'open',
                       'system', %DETAIL%
                from m
                where old_status = 'resolved'
            )
            select (select count(*) from m) as matched,
                   (select count(*) from m where old_status = 'resolved') as reopened,
                   (select count(*) from upd) as written
            """,
                    ScanDetail.BOUND);

    /**
     * Resolves the open insights of evaluated checks that no staged finding names, and audits them:
     * the COPY path's resolve, run before its staging rows are cleared. (The per-row path resolves
     * by the scan id it stamps on every present insight; this path does not stamp unchanged ones.)
     */
    static final String RESOLVE_UNSTAGED =
            InsightSql.resolve(
                    """
                    not exists (select 1 from insight_staging s
                                      where s.batch_id = :batch and s.check_id = i.check_id
                                        and s.resource_key = i.resource_key)""");

    /**
     * Inserts the staged findings that are not insights yet as open insights and audits each as
     * opened. {@code %NEW%} is empty when the target had no insight matching any staged finding
     * (nothing to exclude), else the anti-join {@link #NOT_YET_AN_INSIGHT}.
     */
    static final String INSERT_NEW =
            ScanDetail.splice(
                    """
            with ins as (
                insert into insights (account_id, zone_id, check_id, resource_key, severity,
                                      issue_type, subject, message, context, status,
                                      first_seen_at, last_seen_at, last_scan_id)
                select :account, cast(:zone as text), s.check_id, s.resource_key, s.severity,
                       s.issue_type, s.subject, s.message, s.context, 'open', :at, :at, :scan
                from insight_staging s
                where s.batch_id = :batch %NEW%
                returning insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                       to_status, changed_by, detail)
                select :account, cast(:zone as text), insight_id, 'opened', null, 'open',
                       'system', %DETAIL%
                from ins
            )
            select count(*) from ins
            """,
                    ScanDetail.BOUND);

    static final String NOT_YET_AN_INSIGHT =
            """
            and not exists (select 1 from insights i
                            where i.account_id = :account and %ZONE%
                              and i.check_id = s.check_id and i.resource_key = s.resource_key)
            """;
}
