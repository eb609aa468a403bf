package dev.vigil.api.internal;

import dev.vigil.tokens.TokenGrant;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The fleet view: the account routes' reads across every account of the calling token at once
 * ({@code /v1/fleet/...}): the insight list with every filter of the account list, its counts, a
 * summary (counts by severity and status, top accounts and zones, overdue targets, SLA breaches),
 * the trend and the SLA breaches. {@code account_id} (repeated or comma-separated) narrows to some
 * of the token's accounts and {@code account_id~neq} leaves some out; naming an account the token
 * does not cover is 403, as on {@code /v1/accounts/{account_id}/...}, whether it exists or not.
 *
 * <p>Only account tokens read a fleet: a service token (workers) reads account by account and an
 * admin token reads no tenant data, so both get 403.
 */
public final class FleetRoutes {

    /** The prefix of every fleet route. */
    public static final String PREFIX = "/v1/fleet";

    /** The account filter's parameters, beside the insight filters. */
    static final Set<String> ACCOUNT_PARAMS =
            Set.of("account_id", "account_id~neq", "not_account_id");

    /** Top accounts and zones listed by the summary unless {@code top} says otherwise. */
    static final int DEFAULT_TOP = 10;

    private final Auth auth;
    private final InsightReads insights;
    private final OverviewRows overview;
    private final HistoryReads history;
    private final FleetRows rows;
    private final Clock clock;

    private FleetRoutes(Auth auth, Jdbi jdbi, Clock clock) {
        this.auth = auth;
        this.insights = new InsightReads(jdbi);
        this.overview = new OverviewRows(jdbi);
        this.history = new HistoryReads(jdbi);
        this.rows = new FleetRows(jdbi);
        this.clock = clock;
    }

    /** Registers the fleet routes. */
    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi, Clock clock) {
        FleetRoutes r = new FleetRoutes(auth, jdbi, clock);
        routes.get(PREFIX + "/insights", r::list);
        for (InsightReads.Group group : InsightReads.Group.values()) {
            String path = PREFIX + "/insights/" + group.name().toLowerCase(Locale.ROOT);
            routes.get(path, ctx -> r.counts(ctx, group));
        }
        routes.get(PREFIX + "/summary", r::summary);
        routes.get(PREFIX + "/trend", r::trend);
        routes.get(PREFIX + "/past-sla", r::pastSla);
    }

    /**
     * The accounts the request reads: the token's, narrowed by {@code account_id} and {@code
     * account_id~neq}. 403 for a service or admin token and for an account outside the token's.
     */
    Fleet fleet(Context ctx) {
        TokenGrant g = auth.grant(ctx);
        if (g.service() || g.admin()) {
            throw ApiProblem.forbidden(
                    "token '"
                            + g.name()
                            + "' is a "
                            + g.scope().wire()
                            + " token; the fleet routes read the accounts of an account token"
                            + (g.service() ? " (read account by account instead)" : ""));
        }
        List<String> only = accounts(ctx, g, "account_id");
        Set<String> left = new HashSet<>(accounts(ctx, g, "account_id~neq"));
        left.addAll(accounts(ctx, g, "not_account_id"));
        List<String> ids = new ArrayList<>(only.isEmpty() ? g.accountIds() : only);
        ids.removeAll(left);
        if (ids.isEmpty()) {
            throw ApiProblem.badRequest(
                    "account_id",
                    "account_id~neq leaves none of token '" + g.name() + "''s accounts to read");
        }
        return new Fleet(ids, g.name());
    }

    private static List<String> accounts(Context ctx, TokenGrant g, String param) {
        List<String> out = new ArrayList<>();
        for (String raw : ctx.queryParams(param)) {
            for (String v : raw.split(",", -1)) {
                String id = v.trim();
                if (id.isEmpty()) {
                    continue;
                }
                if (!g.mayRead(id)) {
                    throw ApiProblem.forbidden(
                            "token '" + g.name() + "' is not scoped to account '" + id + "'");
                }
                out.add(id);
            }
        }
        return out;
    }

    private static Set<String> with(Set<String> a, String... more) {
        Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(ACCOUNT_PARAMS);
        out.addAll(List.of(more));
        return out;
    }

    private void list(Context ctx) {
        Fleet fleet = fleet(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, with(InsightSort.PARAMS));
        InsightSort sort = InsightSort.parse(ctx);
        InsightReads.Page page = insights.list(fleet, filter, sort);
        Json.ok(
                ctx,
                page.rows(),
                new InsightRoutes.ListInfo(
                        page.rows().size(),
                        sort.perPage(),
                        page.total(),
                        sort.page(),
                        page.cursor()));
    }

    private void counts(Context ctx, InsightReads.Group group) {
        Fleet fleet = fleet(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, with(Set.of()));
        Json.ok(ctx, insights.counts(fleet, filter, group), null);
    }

    /**
     * The summary a fleet page opens with.
     *
     * @param accounts the accounts read
     * @param slaBreaches open insights past their own account's SLA (as {@code past-sla} counts)
     * @param overdueTargets targets overdue or whose scan is lost, over every page
     * @param overdue the most overdue targets, at most {@code top}
     */
    record Summary(
            List<String> accounts,
            FleetRows.Counts counts,
            long slaBreaches,
            long overdueTargets,
            List<FleetRows.Ranked> topAccounts,
            List<FleetRows.Ranked> topZones,
            List<FleetRows.Overdue> overdue) {}

    private void summary(Context ctx) {
        Fleet fleet = fleet(ctx);
        OverviewRoutes.only(ctx, with(Set.of(), "top"));
        int top = InsightFilter.integer(ctx, "top", DEFAULT_TOP, 1, 100);
        FleetRows.OverduePage overdue = rows.overdue(fleet, top);
        Json.ok(
                ctx,
                new Summary(
                        fleet.accountIds(),
                        rows.counts(fleet),
                        history.pastSlaCount(fleet, clock.instant()),
                        overdue.total(),
                        rows.top(fleet, false, top),
                        rows.top(fleet, true, top),
                        overdue.rows()),
                null);
    }

    private void trend(Context ctx) {
        Fleet fleet = fleet(ctx);
        OverviewRoutes.only(ctx, with(Set.of(), "days"));
        int days = InsightFilter.integer(ctx, "days", 30, 1, 366);
        OverviewRows.Trend trend =
                overview.trend(fleet, days, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        Json.ok(ctx, trend.series(), new OverviewRoutes.TrendInfo(days, trend.openNow()));
    }

    /** The result info of the SLA breaches: how many there are in all, and when they were read. */
    record PastSlaInfo(long totalCount, String at) {}

    private void pastSla(Context ctx) {
        Fleet fleet = fleet(ctx);
        OverviewRoutes.only(ctx, with(Set.of(), "limit"));
        int limit = InsightFilter.integer(ctx, "limit", 100, 1, 1_000);
        Instant now = clock.instant();
        Json.ok(
                ctx,
                history.pastSla(fleet, now, limit),
                new PastSlaInfo(history.pastSlaCount(fleet, now), Rfc3339.format(now)));
    }
}
