package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import dev.vigil.checks.Finding;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.util.RawValue;

/**
 * {@code GET .../insights/{insight_id}/context}: an insight's large context, kept off the list so
 * lists stay small: its identity and message; every offending value its check saw in the latest
 * scan that found it ({@code context}: up to 100,000 values, one page of {@code values_limit}
 * (default 1,000, at most 10,000) from {@code values_offset} per call, with the total and the next
 * offset); and every scan of its target that saw it: the scans between its first and last sighting
 * during which it was open (from the scan transitions in the audit log), newest first, up to {@code
 * limit} (default 1,000).
 *
 * <p>The page is cut and serialised by PostgreSQL ({@code jsonb_path_query_array}) and passed
 * through as raw JSON, so a page costs no Java objects per value.
 */
public final class ContextRoutes {

    private static final String SCANS =
            """
            with tr as (
                select s.scanned_at, a.to_status
                from audit_log a
                join scans s on s.account_id = a.account_id
                            and cast(s.scan_id as text) = a.detail->>'scan_id'
                where a.account_id = :scope_account and a.insight_id = :id
                  and a.changed_by = 'system'
            )
            select s.scan_id, s.scanned_at, s.applied_at, s.rule_set_version
            from scans s
            where s.account_id = :scope_account and s.target_id = :target
              and s.scanned_at between :first and :last
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

    private static final java.util.Set<String> PARAMS =
            java.util.Set.of("limit", "values_offset", "values_limit");

    private final Auth auth;
    private final Jdbi jdbi;

    private ContextRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        ContextRoutes r = new ContextRoutes(auth, jdbi);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/insights/{insight_id}/context", r::context);
        }
    }

    private void context(Context ctx) {
        Scope scope = auth.read(ctx);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (expected limit, values_offset or values_limit)");
            }
        }
        int limit = InsightFilter.integer(ctx, "limit", 1_000, 1, 10_000);
        int valuesOffset =
                InsightFilter.integer(ctx, "values_offset", 0, 0, Finding.MAX_CONTEXT_VALUES);
        int valuesLimit = InsightFilter.integer(ctx, "values_limit", 1_000, 1, 10_000);
        InsightView insight = InsightRoutes.find(jdbi, scope, InsightRoutes.insightId(ctx));
        String target = insight.zoneId() == null ? insight.accountId() : insight.zoneId();
        List<ScanRef> scans =
                jdbi.withHandle(
                        h ->
                                h.createQuery(SCANS)
                                        .bindMap(InsightRoutes.scopeBinds(scope))
                                        .bind("id", insight.id())
                                        .bind("target", target)
                                        .bind("first", insight.firstSeenAt())
                                        .bind("last", insight.lastSeenAt())
                                        .bind("limit", limit)
                                        .map(
                                                (rs, c) ->
                                                        new ScanRef(
                                                                rs.getString("scan_id"),
                                                                InsightRows.required(
                                                                        rs, "scanned_at"),
                                                                InsightRows.required(
                                                                        rs, "applied_at"),
                                                                rs.getString("rule_set_version")))
                                        .list());
        Json.ok(
                ctx,
                new InsightContext(
                        insight,
                        target,
                        insight.resourceKey(),
                        insight.message(),
                        values(scope, insight.id(), valuesOffset, valuesLimit),
                        scans),
                null);
    }

    /**
     * The answer: the insight, where it was found, a page of its context values, and the scans that
     * saw it.
     */
    record InsightContext(
            InsightView insight,
            String targetId,
            String resourceKey,
            String message,
            ValuesPage context,
            List<ScanRef> scans) {}

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

    /** One page of the insight's context values, with the total and the next page's offset. */
    private ValuesPage values(Scope scope, long id, int offset, int limit) {
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
                                            return new ValuesPage(
                                                    total,
                                                    offset,
                                                    new RawValue(
                                                            java.util.Objects.requireNonNull(
                                                                    rs.getString("page"))),
                                                    offset + limit < total ? offset + limit : null);
                                        })
                                .one());
    }
}
