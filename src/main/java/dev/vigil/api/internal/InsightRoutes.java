package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.api.InsightView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Reading insights, for an account and mirrored for a zone: the filtered, sorted, cursor-paged
 * list; counts by severity, class and type; one insight. The queries are {@link InsightReads}'.
 */
public final class InsightRoutes {

    /** The two scopes every insight route is offered under. */
    public static final List<String> PREFIXES =
            List.of("/v1/accounts/{account_id}", "/v1/zones/{zone_id}");

    private final Auth auth;
    private final InsightReads reads;

    private InsightRoutes(Auth auth, InsightReads reads) {
        this.auth = auth;
        this.reads = reads;
    }

    /** Registers the routes. Static paths go before {@code {insight_id}} so they win. */
    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        InsightRoutes r = new InsightRoutes(auth, new InsightReads(jdbi));
        for (String p : PREFIXES) {
            routes.get(p + "/insights", r::list);
            for (InsightReads.Group group : InsightReads.Group.values()) {
                String path = p + "/insights/" + group.name().toLowerCase(Locale.ROOT);
                routes.get(path, ctx -> r.counts(ctx, group));
            }
        }
    }

    /** Registers the one-insight route, after every other {@code /insights/...} route. */
    public static void registerOne(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        InsightRoutes r = new InsightRoutes(auth, new InsightReads(jdbi));
        for (String p : PREFIXES) {
            routes.get(p + "/insights/{insight_id}", r::one);
        }
    }

    /** The binds of {@code scope}'s predicate. */
    static Map<String, Object> scopeBinds(Tenancy scope) {
        return scope.binds();
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
        return new InsightReads(jdbi).find(scope, id).orElseThrow(() -> notFound(id));
    }

    static ApiProblem notFound(long id) {
        return new ApiProblem(
                404, "Not found", "no insight " + id + " in this account or zone", "insight_id");
    }

    private void list(Context ctx) {
        Scope scope = auth.read(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, InsightSort.PARAMS);
        InsightSort sort = InsightSort.parse(ctx);
        InsightReads.Page page = reads.list(scope, filter, sort);
        ListInfo info =
                new ListInfo(
                        page.rows().size(),
                        sort.perPage(),
                        page.total(),
                        sort.page(),
                        page.cursor());
        Json.ok(ctx, page.rows(), info);
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

    private void counts(Context ctx, InsightReads.Group group) {
        Scope scope = auth.read(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, Set.of());
        Json.ok(ctx, reads.counts(scope, filter, group), null);
    }

    private void one(Context ctx) {
        Scope scope = auth.read(ctx);
        long id = insightId(ctx);
        Json.ok(ctx, reads.find(scope, id).orElseThrow(() -> notFound(id)), null);
    }
}
