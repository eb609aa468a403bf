package dev.vigil.api.internal;

import dev.vigil.tokens.TokenGrant;
import dev.vigil.tokens.TokenScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The summaries a dashboard opens with: {@code GET /v1/me} (what the token is and the accounts it
 * may see, with their names), {@code GET .../scan-status} (each target of the scope with its last
 * scan, next due time, whether it is overdue, and its open insights by severity) and {@code GET
 * .../trend} (open and resolved insights per UTC day, from the audit log's scan transitions).
 */
public final class OverviewRoutes {

    /**
     * How long past its due time a target may wait before it counts as overdue: the scheduler
     * claims due targets every few seconds, so a minute behind means scanning is not keeping up.
     */
    static final Duration OVERDUE_AFTER = Duration.ofSeconds(60);

    /** At most this many accounts are listed for a service token, which may see all of them. */
    static final int MAX_ACCOUNTS = 1_000;

    private static final String STATUS =
            """
            with open_counts as (
                select coalesce(i.zone_id, i.account_id) as target_id,
                       count(*) filter (where i.severity = 'critical') as critical,
                       count(*) filter (where i.severity = 'high') as high,
                       count(*) as open
                from insights i
                where %SCOPE% and i.status = 'open' and not i.dismissed
                group by 1
            )
            select t.target_id, t.kind, t.name, t.plan, t.last_result_at, t.next_due_at,
                   t.section_errors::text as section_errors,
                   t.next_due_at < now() - make_interval(secs => :grace) as overdue,
                   coalesce(c.critical, 0) as critical, coalesce(c.high, 0) as high,
                   coalesce(c.open, 0) as open,
                   count(*) over () as total,
                   count(*) filter (where t.next_due_at < now() - make_interval(secs => :grace))
                       over () as overdue_total
            from targets t
            left join open_counts c on c.target_id = t.target_id
            where t.account_id = :scope_account and t.deleted_at is null %ZONE%
            order by critical desc, high desc, open desc, t.target_id
            limit :limit
            """;

    private static final String MOVES =
            """
            select to_char(a.at at time zone 'UTC', 'YYYY-MM-DD') as day,
                   count(*) filter (where a.to_status = 'open') as opened,
                   count(*) filter (where a.to_status = 'resolved') as resolved
            from audit_log a
            where %SCOPE% and a.changed_by = 'system' and a.to_status is not null
              and a.at >= cast(:since as timestamptz)
            group by 1
            """;

    private final Auth auth;
    private final Jdbi jdbi;

    private OverviewRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        OverviewRoutes r = new OverviewRoutes(auth, jdbi);
        routes.get("/v1/me", r::me);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/scan-status", r::scanStatus);
            routes.get(p + "/trend", r::trend);
        }
        CheckRoutes.register(routes, auth);
    }

    private void me(Context ctx) {
        TokenGrant g = auth.grant(ctx);
        only(ctx, Set.of());
        List<Map<String, @Nullable Object>> accounts =
                switch (g.scope()) {
                    case ADMIN -> List.of();
                    case ACCOUNTS -> accounts(g.accountIds());
                    case SERVICE -> accounts(null);
                };
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", g.name());
        result.put("scope", g.scope().wire());
        // Whether it may change tenant data: an account write token; never a service or admin one.
        result.put("write", g.scope() == TokenScope.ACCOUNTS && g.write());
        result.put("accounts", accounts);
        Json.ok(ctx, result, null);
    }

    /** The named accounts (null: any, up to {@link #MAX_ACCOUNTS}), in the order of their ids. */
    private List<Map<String, @Nullable Object>> accounts(@Nullable List<String> ids) {
        Map<String, Map<String, @Nullable Object>> found = new LinkedHashMap<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        "select target_id, name, plan from targets where kind ="
                                                + " 'account' and deleted_at is null"
                                                + (ids == null
                                                        ? ""
                                                        : " and target_id = any(cast(:ids as"
                                                                + " text[]))")
                                                + " order by target_id limit :limit")
                                .bind(
                                        "ids",
                                        ids == null ? new String[0] : ids.toArray(String[]::new))
                                .bind("limit", MAX_ACCOUNTS)
                                .map(
                                        (rs, c) -> {
                                            Map<String, @Nullable Object> m = new LinkedHashMap<>();
                                            m.put("id", rs.getString("target_id"));
                                            m.put("name", rs.getString("name"));
                                            m.put("plan", rs.getString("plan"));
                                            return m;
                                        })
                                .forEach(m -> found.put((String) m.get("id"), m)));
        if (ids == null) {
            return List.copyOf(found.values());
        }
        // An account the token names but the inventory does not (yet) hold is still listed.
        List<Map<String, @Nullable Object>> out = new ArrayList<>();
        for (String id : ids.stream().sorted().distinct().toList()) {
            Map<String, @Nullable Object> m = found.get(id);
            if (m == null) {
                m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("name", null);
                m.put("plan", null);
            }
            out.add(m);
        }
        return out;
    }

    private void scanStatus(Context ctx) {
        Scope scope = auth.read(ctx);
        only(ctx, Set.of("limit"));
        int limit = InsightFilter.integer(ctx, "limit", 500, 1, 10_000);
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("grace", (double) OVERDUE_AFTER.toSeconds());
        binds.put("limit", limit);
        String sql =
                STATUS.replace("%SCOPE%", scope.predicate("i"))
                        .replace(
                                "%ZONE%",
                                scope.zoneId() == null ? "" : "and t.target_id = :scope_zone");
        long[] totals = new long[2];
        Instant now = Instant.now();
        List<Map<String, @Nullable Object>> rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(sql)
                                        .bindMap(binds)
                                        .map(
                                                (rs, c) -> {
                                                    totals[0] = rs.getLong("total");
                                                    totals[1] = rs.getLong("overdue_total");
                                                    Map<String, @Nullable Object> m =
                                                            new LinkedHashMap<>();
                                                    m.put("target_id", rs.getString("target_id"));
                                                    m.put("kind", rs.getString("kind"));
                                                    m.put("name", rs.getString("name"));
                                                    m.put("plan", rs.getString("plan"));
                                                    Instant last =
                                                            InsightRows.instant(
                                                                    rs, "last_result_at");
                                                    m.put("last_scan_at", last);
                                                    m.put(
                                                            "seconds_since_scan",
                                                            last == null
                                                                    ? null
                                                                    : Math.max(
                                                                            0,
                                                                            Duration.between(
                                                                                            last,
                                                                                            now)
                                                                                    .toSeconds()));
                                                    m.put(
                                                            "next_due_at",
                                                            InsightRows.required(
                                                                    rs, "next_due_at"));
                                                    m.put("overdue", rs.getBoolean("overdue"));
                                                    m.put(
                                                            "section_errors",
                                                            sectionErrors(
                                                                    rs.getString(
                                                                            "section_errors")));
                                                    Map<String, Long> open = new LinkedHashMap<>();
                                                    open.put("critical", rs.getLong("critical"));
                                                    open.put("high", rs.getLong("high"));
                                                    open.put("total", rs.getLong("open"));
                                                    m.put("open_insights", open);
                                                    return m;
                                                })
                                        .list());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("count", rows.size());
        info.put("total_count", totals[0]);
        info.put("overdue_count", totals[1]);
        info.put("overdue_after_seconds", OVERDUE_AFTER.toSeconds());
        Json.ok(ctx, rows, info);
    }

    private static final tools.jackson.databind.json.JsonMapper SECTION_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    /** The stored JSON object of section errors as a map; none stored is an empty map. */
    private static Map<String, String> sectionErrors(@Nullable String json) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (json != null) {
            SECTION_JSON
                    .readTree(json)
                    .properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        }
        return out;
    }

    /**
     * The last {@code days} UTC days, oldest first: how many insights were open at the end of each
     * day (dismissed ones included: dismissing hides, it does not resolve), and how many were
     * opened (or reopened) and resolved during it. Open counts are walked back from today's from
     * the day's transitions, so one grouped read of the audit log's recent partitions suffices.
     */
    private void trend(Context ctx) {
        Scope scope = auth.read(ctx);
        only(ctx, Set.of("days"));
        int days = InsightFilter.integer(ctx, "days", 30, 1, 366);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("since", first.atStartOfDay(ZoneOffset.UTC).toOffsetDateTime());
        Map<String, long[]> moves = new LinkedHashMap<>();
        long openNow =
                jdbi.inTransaction(
                        h -> {
                            h.createQuery(MOVES.replace("%SCOPE%", scope.predicate("a")))
                                    .bindMap(binds)
                                    .map(
                                            (rs, c) ->
                                                    moves.put(
                                                            rs.getString("day"),
                                                            new long[] {
                                                                rs.getLong("opened"),
                                                                rs.getLong("resolved")
                                                            }))
                                    .list();
                            return h.createQuery(
                                            "select count(*) from insights i where "
                                                    + scope.predicate("i")
                                                    + " and i.status = 'open'")
                                    .bindMap(InsightRoutes.scopeBinds(scope))
                                    .mapTo(Long.class)
                                    .one();
                        });
        List<Map<String, Object>> series = new ArrayList<>();
        long open = openNow;
        for (LocalDate d = today; !d.isBefore(first); d = d.minusDays(1)) {
            long[] m = moves.getOrDefault(d.toString(), new long[2]);
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("day", d.toString());
            point.put("open", Math.max(0, open));
            point.put("opened", m[0]);
            point.put("resolved", m[1]);
            series.addFirst(point);
            open = open - m[0] + m[1];
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("days", days);
        info.put("open_now", openNow);
        Json.ok(ctx, series, info);
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
