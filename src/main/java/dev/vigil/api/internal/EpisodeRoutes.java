package dev.vigil.api.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The episodes of one insight (issue 21): each period it was open, oldest first, with how long it
 * stayed open ({@code insight_episodes}, kept by the results transaction's triggers).
 */
public final class EpisodeRoutes {

    /**
     * One open period of an insight.
     *
     * @param episode 1 for the first, one more per reopen
     * @param resolvedAt null while the episode is open
     * @param openSeconds how long it stayed open: to its resolve, or to now while open
     * @param dismissed whether the insight was dismissed at some time during the episode
     * @param classification the last classification given during it, if any
     */
    record Episode(
            int episode,
            String severity,
            Instant openedAt,
            @Nullable Instant resolvedAt,
            long openSeconds,
            boolean dismissed,
            @Nullable String classification) {}

    private final Auth auth;
    private final Jdbi jdbi;
    private final Clock clock;

    private EpisodeRoutes(Auth auth, Jdbi jdbi, Clock clock) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Registers {@code .../insights/{insight_id}/episodes} under both scopes. */
    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi, Clock clock) {
        EpisodeRoutes r = new EpisodeRoutes(auth, jdbi, clock);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/insights/{insight_id}/episodes", r::list);
        }
    }

    private void list(Context ctx) {
        Scope scope = auth.read(ctx);
        if (!ctx.queryParamMap().isEmpty()) {
            String name = ctx.queryParamMap().keySet().iterator().next();
            throw ApiProblem.badRequest(
                    name, "unknown query parameter '" + name + "' (none taken)");
        }
        long id = InsightRoutes.insightId(ctx);
        InsightRoutes.find(jdbi, scope, id); // 404 unless the insight is the caller's
        Instant now = clock.instant();
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("insight", id);
        List<Episode> episodes =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select e.episode, e.severity, e.opened_at,"
                                                        + " e.resolved_at, e.dismissed,"
                                                        + " e.classification"
                                                        + " from insight_episodes e where "
                                                        + scope.predicate("e")
                                                        + " and e.insight_id = :insight"
                                                        + " order by e.episode")
                                        .bindMap(binds)
                                        .map((rs, c) -> episode(rs, now))
                                        .list());
        Json.ok(ctx, episodes, null);
    }

    private static Episode episode(ResultSet rs, Instant now) throws SQLException {
        Instant opened = InsightRows.required(rs, "opened_at");
        @Nullable Instant resolved = InsightRows.instant(rs, "resolved_at");
        Instant end = resolved == null ? now : resolved;
        return new Episode(
                rs.getInt("episode"),
                rs.getString("severity"),
                opened,
                resolved,
                Math.max(0, Duration.between(opened, end).toSeconds()),
                rs.getBoolean("dismissed"),
                rs.getString("classification"));
    }
}
