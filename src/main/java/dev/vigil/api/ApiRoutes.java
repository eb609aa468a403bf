package dev.vigil.api;

import dev.vigil.api.internal.ApiProblem;
import dev.vigil.api.internal.Auth;
import dev.vigil.api.internal.InsightsHandler;
import dev.vigil.api.internal.Json;
import dev.vigil.api.internal.Problems;
import dev.vigil.api.internal.ResultsHandler;
import dev.vigil.results.ResultWriter;
import io.javalin.config.JavalinConfig;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The API's routes, registered on a Javalin config by one static function that {@code main} (via
 * {@link ApiServer}) and the tests both call. Every route is described in {@code openapi.yaml}.
 */
public final class ApiRoutes {

    private ApiRoutes() {}

    /**
     * Registers every route, the JSON mapper and the problem+json error handlers on {@code cfg}.
     */
    public static void register(
            JavalinConfig cfg, DataSource dataSource, ResultWriter writer, ApiTokens tokens) {
        Auth auth = new Auth(tokens::authenticate);
        ResultsHandler results = new ResultsHandler(auth, writer);
        InsightsHandler insights = new InsightsHandler(auth, dataSource);
        cfg.jsonMapper(new Json());
        Problems.register(cfg.routes);
        cfg.routes.put("/internal/v1/scans/{scan_id}", results::put);
        cfg.routes.get("/v1/accounts/{account_id}/insights", insights::list);
        cfg.routes.get(
                "/livez",
                ctx ->
                        ctx.contentType("application/json")
                                .result(Json.bytes(Map.of("status", "live"))));
        cfg.routes.get(
                "/readyz",
                ctx -> {
                    if (!databaseReachable(dataSource)) {
                        throw new ApiProblem(
                                503, "Not ready", "the database is not reachable", null);
                    }
                    ctx.contentType("application/json")
                            .result(Json.bytes(Map.of("status", "ready")));
                });
    }

    private static boolean databaseReachable(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
