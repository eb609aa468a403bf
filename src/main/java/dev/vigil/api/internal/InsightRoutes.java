package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.api.InsightView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Reading insights, for an account and mirrored for a zone: the filtered, sorted, cursor-paged
 * list; counts by severity, class and type; one insight.
 */
public final class InsightRoutes {

    /** The two scopes every insight route is offered under. */
    public static final List<String> PREFIXES =
            List.of("/v1/accounts/{account_id}", "/v1/zones/{zone_id}");

    private final Auth auth;
    private final Jdbi jdbi;

    private InsightRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
    }

    /** Registers the routes. Static paths go before {@code {insight_id}} so they win. */
    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        InsightRoutes r = new InsightRoutes(auth, jdbi);
        for (String p : PREFIXES) {
            routes.get(p + "/insights", r::list);
            for (String group : List.of("severity", "class", "type")) {
                routes.get(p + "/insights/" + group, ctx -> r.counts(ctx, group));
            }
        }
    }

    /** Registers the one-insight route, after every other {@code /insights/...} route. */
    public static void registerOne(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        InsightRoutes r = new InsightRoutes(auth, jdbi);
        for (String p : PREFIXES) {
            routes.get(p + "/insights/{insight_id}", r::one);
        }
    }

    /** The binds of {@code scope}'s predicate. */
    static Map<String, Object> scopeBinds(Scope scope) {
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("scope_account", scope.accountId());
        if (scope.zoneId() != null) {
            binds.put("scope_zone", scope.zoneId());
        }
        return binds;
    }

    /** The {@code insight_id} path parameter; 400 when not an integer. */
    static long insightId(Context ctx) {
        String raw = ctx.pathParam("insight_id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "insight_id",
                    "path parameter insight_id must be an integer, got '" + raw + "'");
        }
    }

    /** The insight {@code id} in {@code scope}; 404 when it is not there (or not the caller's). */
    static InsightView find(Jdbi jdbi, Scope scope, long id) {
        Map<String, Object> binds = scopeBinds(scope);
        binds.put("id", id);
        return jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select "
                                                        + InsightRows.COLUMNS
                                                        + " from insights i where "
                                                        + scope.predicate("i")
                                                        + " and i.insight_id = :id")
                                        .bindMap(binds)
                                        .map(InsightRows.MAPPER)
                                        .findOne())
                .orElseThrow(() -> notFound(id));
    }

    static ApiProblem notFound(long id) {
        return new ApiProblem(
                404, "Not found", "no insight " + id + " in this account or zone", "insight_id");
    }

    private void list(Context ctx) {
        Scope scope = auth.read(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, InsightSort.PARAMS);
        InsightSort sort = InsightSort.parse(ctx);
        Map<String, Object> binds = scopeBinds(scope);
        String where =
                " from insights i where " + scope.predicate("i") + " and " + filter.sql(binds);
        Map<String, Object> pageBinds = new LinkedHashMap<>(binds);
        String sql =
                "select "
                        + InsightRows.COLUMNS
                        + ", "
                        + sort.keyColumn()
                        + where
                        + " and "
                        + sort.after(pageBinds)
                        + sort.orderBy()
                        + " limit :limit offset :offset";
        pageBinds.put("limit", sort.perPage() + 1);
        pageBinds.put(
                "offset", sort.page() == null ? 0L : (long) (sort.page() - 1) * sort.perPage());
        record Row(InsightView view, String key) {}
        record Page(List<Row> rows, long total) {}
        Page page =
                jdbi.inTransaction(
                        h ->
                                new Page(
                                        h.createQuery(sql)
                                                .bindMap(pageBinds)
                                                .map(
                                                        (rs, c) ->
                                                                new Row(
                                                                        InsightRows.MAPPER.map(
                                                                                rs, c),
                                                                        rs.getString("sort_key")))
                                                .list(),
                                        h.createQuery("select count(*)" + where)
                                                .bindMap(binds)
                                                .mapTo(Long.class)
                                                .one()));
        List<Row> rows =
                page.rows().size() > sort.perPage()
                        ? page.rows().subList(0, sort.perPage())
                        : page.rows();
        Row last = rows.isEmpty() ? null : rows.getLast();
        ListInfo info =
                new ListInfo(
                        rows.size(),
                        sort.perPage(),
                        page.total(),
                        sort.page(),
                        page.rows().size() > sort.perPage() && last != null
                                ? sort.encode(new InsightSort.Key(last.key(), last.view().id()))
                                : null);
        Json.ok(ctx, rows.stream().map(Row::view).toList(), info);
    }

    /**
     * The result info of a page of insights.
     *
     * @param page the page number asked for; left out when paging by cursor
     * @param cursor the cursor of the next page; null on the last one
     */
    record ListInfo(
            int count,
            int perPage,
            long totalCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer page,
            @Nullable String cursor) {}

    /** How many insights have {@code value} (a severity, a class or an issue type). */
    record Count(String value, long count) {}

    private void counts(Context ctx, String group) {
        Scope scope = auth.read(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, Set.of());
        Map<String, Object> binds = scopeBinds(scope);
        String expr =
                switch (group) {
                    case "severity" -> "i.severity";
                    case "class" -> "i.check_id";
                    default -> "i.issue_type";
                };
        String sql =
                "select "
                        + expr
                        + " as value, count(*) as count from insights i where "
                        + scope.predicate("i")
                        + " and "
                        + filter.sql(binds)
                        + " group by 1 order by 2 desc, 1";
        List<Count> counts =
                jdbi.withHandle(
                        h ->
                                h.createQuery(sql)
                                        .bindMap(binds)
                                        .map(
                                                (rs, c) ->
                                                        new Count(
                                                                rs.getString("value"),
                                                                rs.getLong("count")))
                                        .list());
        Json.ok(ctx, counts, null);
    }

    private void one(Context ctx) {
        Scope scope = auth.read(ctx);
        Json.ok(ctx, find(jdbi, scope, insightId(ctx)), null);
    }
}
