package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET .../insights/{insight_id}/context}: an insight's large context, kept off the list so
 * lists stay small. Findings carry one message per offending resource today, so the context is the
 * insight's identity and message, and every scan of its target that saw it: the scans between its
 * first and last sighting during which it was open (from the scan transitions in the audit log),
 * newest first, up to {@code limit} (default 1,000).
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
            if (!name.equals("limit")) {
                throw ApiProblem.badRequest(
                        name, "unknown query parameter '" + name + "' (expected limit)");
            }
        }
        int limit = InsightFilter.integer(ctx, "limit", 1_000, 1, 10_000);
        InsightView insight = InsightRoutes.find(jdbi, scope, InsightRoutes.insightId(ctx));
        String target = insight.zoneId() == null ? insight.accountId() : insight.zoneId();
        List<Map<String, @Nullable Object>> scans =
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
                                                (rs, c) -> {
                                                    Map<String, @Nullable Object> m =
                                                            new LinkedHashMap<>();
                                                    m.put("scan_id", rs.getString("scan_id"));
                                                    m.put(
                                                            "scanned_at",
                                                            InsightRows.required(rs, "scanned_at"));
                                                    m.put(
                                                            "applied_at",
                                                            InsightRows.required(rs, "applied_at"));
                                                    m.put(
                                                            "rule_set_version",
                                                            rs.getString("rule_set_version"));
                                                    return m;
                                                })
                                        .list());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("insight", insight);
        result.put("target_id", target);
        result.put("resource_key", insight.resourceKey());
        result.put("message", insight.message());
        result.put("scans", scans);
        Json.ok(ctx, result, null);
    }
}
