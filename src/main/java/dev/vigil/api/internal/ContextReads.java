package dev.vigil.api.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.util.RawValue;

/**
 * The read side of an insight's context ({@link ContextRoutes}): the scans of its target that saw
 * it, and one page of its stored context values, always within a {@link Scope}, answered as
 * records.
 *
 * <p>The page is cut and serialised by PostgreSQL ({@code jsonb_path_query_array}) and passed
 * through as raw JSON, so a page costs no Java objects per value.
 */
final class ContextReads {

    /**
     * The scans of the target between the insight's first and last sighting during which it was
     * open, from the scan transitions in the audit log, newest first. Superseded scans (their
     * results came after a newer one of the target and were not applied) are left out.
     */
    static final String SCANS =
            """
            with tr as materialized (
                -- the insight's scan transitions, read once (by audit_log_insight_idx)
                select coalesce(
                           cast(a.detail->>'scanned_at' as timestamptz),
                           -- audited before V19 wrote the scan time: the scan's own, by its key
                           (select s.scanned_at from scans s
                            where s.scan_id = cast(a.detail->>'scan_id' as uuid)
                              and s.account_id = a.account_id)) as scanned_at,
                       a.to_status
                from audit_log a
                where a.account_id = :scope_account and a.insight_id = :id
                  and a.changed_by = 'system'
                  and a.detail->>'scan_id' ~ '^[0-9a-fA-F-]{36}$'
            )
            select s.scan_id, s.scanned_at, s.applied_at, s.rule_set_version
            from scans s
            where s.account_id = :scope_account and s.target_id = :target
              and s.scanned_at between :first and :last
              and s.write_path <> 'superseded'
              and (select tr.to_status from tr where tr.scanned_at <= s.scanned_at
                   order by tr.scanned_at desc limit 1) = 'open'
            order by s.scanned_at desc
            limit :limit
            """;

    /** One page of the context values; lax jsonpath yields what exists of the range. */
    private static final String VALUES =
            """
            select coalesce(jsonb_array_length(i.context), 0) as total,
                   coalesce(cast(jsonb_path_query_array(
                                    i.context, '$[$from to $to]',
                                    jsonb_build_object('from', :from, 'to', :to)) as text),
                            '[]') as page
            from insights i
            where %SCOPE% and i.insight_id = :id
            """;

    /** A scan of the insight's target while the insight was seen. */
    record ScanRef(
            String scanId, Instant scannedAt, Instant appliedAt, @Nullable String ruleSetVersion) {}

    /**
     * A page of context values.
     *
     * @param values the page's values, the JSON array stored
     * @param nextOffset the offset of the next page; null on the last one
     */
    record ValuesPage(int total, int offset, RawValue values, @Nullable Integer nextOffset) {}

    private final Jdbi jdbi;

    ContextReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Up to {@code limit} scans of {@code target} between {@code first} and {@code last} that saw
     * insight {@code id} open, newest first.
     */
    List<ScanRef> scans(
            Scope scope, long id, String target, Instant first, Instant last, int limit) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(SCANS)
                                .bindMap(InsightRoutes.scopeBinds(scope))
                                .bind("id", id)
                                .bind("target", target)
                                .bind("first", first)
                                .bind("last", last)
                                .bind("limit", limit)
                                .map(
                                        (rs, c) ->
                                                new ScanRef(
                                                        rs.getString("scan_id"),
                                                        InsightRows.required(rs, "scanned_at"),
                                                        InsightRows.required(rs, "applied_at"),
                                                        rs.getString("rule_set_version")))
                                .list());
    }

    /** One page of insight {@code id}'s context values, with the total and the next offset. */
    ValuesPage values(Scope scope, long id, int offset, int limit) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("id", id);
        binds.put("from", offset);
        binds.put("to", offset + limit - 1);
        return jdbi.withHandle(
                h ->
                        h.createQuery(VALUES.replace("%SCOPE%", scope.predicate("i")))
                                .bindMap(binds)
                                .map(
                                        (rs, c) -> {
                                            int total = rs.getInt("total");
                                            String page =
                                                    Objects.requireNonNull(rs.getString("page"));
                                            return new ValuesPage(
                                                    total,
                                                    offset,
                                                    new RawValue(page),
                                                    offset + limit < total ? offset + limit : null);
                                        })
                                .one());
    }
}
