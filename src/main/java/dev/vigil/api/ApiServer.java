package dev.vigil.api;

import dev.vigil.alerts.SecretBox;
import dev.vigil.api.internal.JettyProblems;
import dev.vigil.inventory.Inventory;
import dev.vigil.results.ResultWriter;
import dev.vigil.telemetry.Tracing;
import dev.vigil.tokens.ApiTokens;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The API's HTTP server (Javalin on Jetty, a virtual thread per request). The caller owns the data
 * source and closes it after this server.
 */
public final class ApiServer implements AutoCloseable {

    private final Javalin app;
    private final ApiSettings settings;

    private ApiServer(Javalin app, ApiSettings settings) {
        this.app = app;
        this.settings = settings;
    }

    /**
     * What a server is built from. Only the settings and the data source are required; the rest
     * have the defaults of a server without Kafka, dashboard or tracing.
     *
     * @param changes where pushed configurations ({@code POST /v1/.../config}) are announced; null
     *     refuses pushes with 503
     * @param inventory the inventory routes and on-demand scans (scan routes answer 503 when it has
     *     no {@link ScanRequester})
     * @param targets the inventory the inventory routes add and change targets in: the process's
     *     one, with its clock (the first-due jitter of an added target)
     * @param extras applied to the Javalin config after the API's own routes: how features later in
     *     the flow (the dashboard) add their routes to the same server without the API depending on
     *     them
     * @param tracing traces result ingestion and its database write
     * @param alertSecrets seals alert destinations' secrets ({@link SecretBox#from}); null without
     *     a key, and then webhook and Slack destinations cannot be created (503 naming the key)
     * @param pushAdmission whether config pushes are taken now (429 while its gate is closed);
     *     always open by default
     */
    public record Options(
            ApiSettings settings,
            DataSource dataSource,
            @Nullable ConfigChangeSink changes,
            InventorySettings inventory,
            Inventory targets,
            List<Consumer<JavalinConfig>> extras,
            Tracing tracing,
            @Nullable SecretBox alertSecrets,
            PushAdmission pushAdmission) {

        public Options {
            extras = List.copyOf(extras);
        }

        /**
         * A server with only the required parts: default intervals and lanes, an inventory on the
         * system clock, no Kafka, no extras, no tracing.
         */
        public static Options of(ApiSettings settings, DataSource dataSource) {
            InventorySettings inventory = InventorySettings.withoutKafka();
            return new Options(
                    settings,
                    dataSource,
                    null,
                    inventory,
                    Inventory.create(
                            dataSource,
                            inventory.intervals(),
                            Clock.systemUTC(),
                            new SecureRandom()),
                    List.of(),
                    Tracing.noop(),
                    null,
                    PushAdmission.open());
        }

        public Options withChanges(@Nullable ConfigChangeSink changes) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }

        /** These options with {@code inventory}'s settings and {@code targets} built from them. */
        public Options withInventory(InventorySettings inventory, Inventory targets) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }

        public Options withExtras(List<Consumer<JavalinConfig>> extras) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }

        public Options withTracing(Tracing tracing) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }

        /** These options with config pushes admitted by {@code pushAdmission}. */
        public Options withPushAdmission(PushAdmission pushAdmission) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }

        /** These options with alert destinations' secrets sealed by {@code alertSecrets}. */
        public Options withAlertSecrets(@Nullable SecretBox alertSecrets) {
            return new Options(
                    settings,
                    dataSource,
                    changes,
                    inventory,
                    targets,
                    extras,
                    tracing,
                    alertSecrets,
                    pushAdmission);
        }
    }

    /** Starts listening on {@code settings.host()}:{@code settings.port()}; returns once bound. */
    public static ApiServer start(Options o) {
        ApiSettings settings = o.settings();
        DataSource dataSource = o.dataSource();
        Tracing tracing = o.tracing();
        ResultWriter writer =
                ResultWriter.create(
                        dataSource,
                        settings.unnestThreshold(),
                        settings.maxFindingsPerCall(),
                        tracing);
        ApiTokens tokens = ApiTokens.create(dataSource);
        Javalin app =
                Javalin.create(
                        cfg -> {
                            cfg.concurrency.useVirtualThreads = true;
                            cfg.startup.showJavalinBanner = false;
                            cfg.jetty.host = settings.host();
                            cfg.jetty.port = settings.port();
                            cfg.jetty.modifyServer(s -> s.setErrorHandler(new JettyProblems()));
                            ApiRoutes.register(
                                    cfg,
                                    dataSource,
                                    writer,
                                    tokens,
                                    o.changes(),
                                    o.inventory(),
                                    o.targets(),
                                    settings.requestsPerTokenPerMinute(),
                                    tracing,
                                    o.alertSecrets(),
                                    o.pushAdmission());
                            o.extras().forEach(e -> e.accept(cfg));
                        });
        app.start();
        return new ApiServer(app, settings);
    }

    /** The port bound (the free one picked when the settings said 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port/}. */
    public URI baseUrl() {
        return URI.create("http://" + settings.host() + ":" + port() + "/");
    }

    /** The routes registered, as {@code "METHOD /path"}, e.g. for checking the OpenAPI file. */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method + " " + e.endpoint.path)
                // before/after filters (the request guards) are no routes
                .filter(r -> !r.startsWith("BEFORE") && !r.startsWith("AFTER"))
                .toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}
