package dev.vigil.api;

import dev.vigil.alerts.SecretBox;
import dev.vigil.api.internal.AlertRoutes;
import dev.vigil.api.internal.ApiProblem;
import dev.vigil.api.internal.AuditRoutes;
import dev.vigil.api.internal.Auth;
import dev.vigil.api.internal.BatchPushRoute;
import dev.vigil.api.internal.ComplianceRoutes;
import dev.vigil.api.internal.ConfigRoutes;
import dev.vigil.api.internal.ContextRoutes;
import dev.vigil.api.internal.EpisodeRoutes;
import dev.vigil.api.internal.ExportRoutes;
import dev.vigil.api.internal.FleetRoutes;
import dev.vigil.api.internal.HistoryRoutes;
import dev.vigil.api.internal.InsightRoutes;
import dev.vigil.api.internal.InventoryRoutes;
import dev.vigil.api.internal.Json;
import dev.vigil.api.internal.OverviewRoutes;
import dev.vigil.api.internal.Problems;
import dev.vigil.api.internal.RequestGuards;
import dev.vigil.api.internal.ResultsBatchHandler;
import dev.vigil.api.internal.ResultsHandler;
import dev.vigil.api.internal.RuleSetRoutes;
import dev.vigil.api.internal.ScanRoutes;
import dev.vigil.api.internal.ServerSpans;
import dev.vigil.api.internal.SnapshotBatchRoutes;
import dev.vigil.api.internal.TokenRoutes;
import dev.vigil.api.internal.TriageRoutes;
import dev.vigil.inventory.Inventory;
import dev.vigil.results.ResultWriter;
import dev.vigil.snapshots.ConfigSnapshots;
import dev.vigil.telemetry.Tracing;
import dev.vigil.tokens.ApiTokens;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The API's routes, registered on a Javalin config by one static function that {@code main} (via
 * {@link ApiServer}) and the tests both call. Every route is described in {@code openapi.yaml}.
 */
public final class ApiRoutes {

    private ApiRoutes() {}

    /**
     * Registers every route, the JSON mapper and the problem+json error handlers on {@code cfg}.
     * Pushed configurations are announced on {@code changes} (without one, pushes answer 503);
     * on-demand scans and lanes are configured by {@code inventory}, and the inventory routes add
     * and change targets in {@code targets}. Each token is limited on the public routes to {@code
     * requestsPerTokenPerMinute} (0: no limit); result ingestion, config pushes and snapshot
     * fetches are traced with {@code tracing}. Alert destinations' secrets are sealed with {@code
     * alertSecrets} (null: webhook and Slack destinations cannot be created, 503). Config pushes,
     * single and batch, are refused with 429 while {@code pushAdmission}'s gate is closed.
     */
    public static void register(
            JavalinConfig cfg,
            DataSource dataSource,
            ResultWriter writer,
            ApiTokens tokens,
            @Nullable ConfigChangeSink changes,
            InventorySettings inventory,
            Inventory targets,
            int requestsPerTokenPerMinute,
            Tracing tracing,
            @Nullable SecretBox alertSecrets,
            PushAdmission pushAdmission) {
        Jdbi jdbi = Jdbi.create(dataSource);
        Auth auth =
                new Auth(
                        tokens::authenticate,
                        zone -> zoneAccount(jdbi, zone),
                        requestsPerTokenPerMinute);
        ResultsHandler results = new ResultsHandler(auth, writer, tracing, Clock.systemUTC());
        cfg.jsonMapper(new Json());
        // A known path with an unknown method is 405 with Allow (see Problems), not 404.
        cfg.http.prefer405over404 = true;
        Problems.register(cfg.routes);
        cfg.routes.beforeMatched(RequestGuards::check);
        ServerSpans spans = new ServerSpans(tracing);
        cfg.routes.put("/internal/v1/scans/{scan_id}", results::put);
        String scanBatches = "/internal/v1/scan-batches";
        cfg.routes.post(
                scanBatches,
                spans.wrap(
                        "POST",
                        scanBatches,
                        new ResultsBatchHandler(auth, writer, Clock.systemUTC())::post));
        // Fixed /insights/... paths before /insights/{insight_id}, which would match them too.
        InsightRoutes.register(cfg.routes, auth, jdbi);
        ExportRoutes.register(cfg.routes, auth, jdbi);
        TriageRoutes.register(cfg.routes, auth, jdbi);
        AuditRoutes.register(cfg.routes, auth, jdbi);
        EpisodeRoutes.register(cfg.routes, auth, jdbi, Clock.systemUTC());
        HistoryRoutes.register(cfg.routes, auth, jdbi, Clock.systemUTC());
        ContextRoutes.register(cfg.routes, auth, jdbi);
        InsightRoutes.registerOne(cfg.routes, auth, jdbi);
        TokenRoutes.register(cfg.routes, auth, tokens);
        ConfigSnapshots snapshots = ConfigSnapshots.of(jdbi);
        ConfigRoutes config = new ConfigRoutes(auth, snapshots, changes, pushAdmission);
        for (String p : List.of("/v1/accounts/{account_id}/config", "/v1/zones/{zone_id}/config")) {
            cfg.routes.post(p, spans.wrap("POST", p, config::push));
        }
        BatchPushRoute batch = new BatchPushRoute(auth, snapshots, changes, pushAdmission);
        String batchPath = "/v1/config:batch";
        cfg.routes.post(batchPath, spans.wrap("POST", batchPath, batch::push));
        String snapshot = "/internal/v1/targets/{target_id}/config";
        cfg.routes.get(snapshot, spans.wrap("GET", snapshot, config::fetch));
        SnapshotBatchRoutes.register(cfg.routes, auth, ConfigSnapshots.of(jdbi), spans);
        InventoryRoutes.register(cfg.routes, auth, jdbi, targets);
        ScanRoutes.register(cfg.routes, auth, targets, inventory);
        OverviewRoutes.register(cfg.routes, auth, jdbi);
        ComplianceRoutes.register(cfg.routes, auth, jdbi, Clock.systemUTC());
        FleetRoutes.register(cfg.routes, auth, jdbi, Clock.systemUTC());
        AlertRoutes.register(cfg.routes, auth, jdbi, alertSecrets);
        RuleSetRoutes.register(cfg.routes, auth, jdbi, targets, inventory.scanRequester());
        cfg.routes.get("/livez", ctx -> health(ctx, "live"));
        cfg.routes.get(
                "/readyz",
                ctx -> {
                    if (!databaseReachable(dataSource)) {
                        throw new ApiProblem(
                                503, "Not ready", "the database is not reachable", null);
                    }
                    health(ctx, "ready");
                });
    }

    /** The answer of {@code /livez} and {@code /readyz}: {@code {"status": "live"|"ready"}}. */
    record Health(String status) {}

    private static void health(Context ctx, String status) {
        ctx.contentType("application/json").result(Json.bytes(new Health(status)));
    }

    /** The account owning zone {@code zoneId}, if it exists and is not deleted. */
    private static Optional<String> zoneAccount(Jdbi jdbi, String zoneId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select account_id from targets where target_id = :zone"
                                                + " and kind = 'zone' and deleted_at is null")
                                .bind("zone", zoneId)
                                .mapTo(String.class)
                                .findOne());
    }

    private static boolean databaseReachable(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
