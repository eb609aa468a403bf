package dev.vigil.api.internal;

import dev.vigil.api.internal.OverviewRows.Account;
import dev.vigil.api.internal.OverviewRows.StatusPage;
import dev.vigil.api.internal.OverviewRows.Trend;
import dev.vigil.tokens.TokenGrant;
import dev.vigil.tokens.TokenScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The summaries a dashboard opens with: {@code GET /v1/me} (what the token is and the accounts it
 * may see, with their names), {@code GET .../scan-status} (each target of the scope with its last
 * scan, next due time, whether it is overdue, and its open insights by severity) and {@code GET
 * .../trend} (open and resolved insights per UTC day, from the audit log's scan transitions). The
 * queries are {@link OverviewRows}'.
 */
public final class OverviewRoutes {

    private final Auth auth;
    private final OverviewRows rows;

    private OverviewRoutes(Auth auth, OverviewRows rows) {
        this.auth = auth;
        this.rows = rows;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        OverviewRoutes r = new OverviewRoutes(auth, new OverviewRows(jdbi));
        routes.get("/v1/me", r::me);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/scan-status", r::scanStatus);
            routes.get(p + "/trend", r::trend);
        }
        CheckRoutes.register(routes, auth);
    }

    /**
     * The answer to {@code /v1/me}.
     *
     * @param write whether it may change tenant data: an account write token; never a service or
     *     admin one
     */
    record Me(String name, String scope, boolean write, List<Account> accounts) {}

    /**
     * The result info of a scan-status page.
     *
     * @param overdueCount targets due for longer than {@code overdueAfterSeconds}, or whose scan is
     *     lost
     * @param lostCount targets whose scheduled scan never landed (the lost-scan watchdog's flag)
     */
    record StatusInfo(
            long count,
            long totalCount,
            long overdueCount,
            long overdueAfterSeconds,
            long lostCount) {}

    /** The result info of a trend. */
    record TrendInfo(int days, long openNow) {}

    private void me(Context ctx) {
        TokenGrant g = auth.grant(ctx);
        only(ctx, Set.of());
        List<Account> accounts =
                switch (g.scope()) {
                    case ADMIN -> List.of();
                    case ACCOUNTS -> rows.accounts(g.accountIds());
                    case SERVICE -> rows.accounts(null);
                };
        Json.ok(
                ctx,
                new Me(
                        g.name(),
                        g.scope().wire(),
                        g.scope() == TokenScope.ACCOUNTS && g.write(),
                        accounts),
                null);
    }

    private void scanStatus(Context ctx) {
        Scope scope = auth.read(ctx);
        only(ctx, Set.of("limit"));
        int limit = InsightFilter.integer(ctx, "limit", 500, 1, 10_000);
        StatusPage page = rows.scanStatus(scope, limit, Instant.now());
        Json.ok(
                ctx,
                page.rows(),
                new StatusInfo(
                        page.rows().size(),
                        page.total(),
                        page.overdueTotal(),
                        OverviewRows.OVERDUE_AFTER.toSeconds(),
                        page.lostTotal()));
    }

    private void trend(Context ctx) {
        Scope scope = auth.read(ctx);
        only(ctx, Set.of("days"));
        int days = InsightFilter.integer(ctx, "days", 30, 1, 366);
        Trend trend = rows.trend(scope, days, LocalDate.now(ZoneOffset.UTC));
        Json.ok(ctx, trend.series(), new TrendInfo(days, trend.openNow()));
    }

    /** Refuses query parameters outside {@code allowed}, naming them. */
    static void only(Context ctx, Set<String> allowed) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "'"
                                + (allowed.isEmpty()
                                        ? " (this route takes none)"
                                        : " (expected " + String.join(", ", allowed) + ")"));
            }
        }
    }
}
