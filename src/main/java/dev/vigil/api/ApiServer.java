package dev.vigil.api;

import dev.vigil.api.internal.JettyProblems;
import dev.vigil.results.ResultWriter;
import dev.vigil.telemetry.Tracing;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.URI;
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

    /** Starts listening on {@code settings.host()}:{@code settings.port()}; returns once bound. */
    public static ApiServer start(ApiSettings settings, DataSource dataSource) {
        return start(settings, dataSource, null, InventorySettings.withoutKafka());
    }

    /**
     * Starts listening; pushed configurations ({@code POST /v1/.../config}) are announced on {@code
     * changes}, or refused with 503 when it is null.
     */
    public static ApiServer start(
            ApiSettings settings, DataSource dataSource, @Nullable ConfigChangeSink changes) {
        return start(settings, dataSource, changes, InventorySettings.withoutKafka());
    }

    /**
     * Starts listening, with the inventory routes and on-demand scans configured by {@code
     * inventory} (scan routes answer 503 when it has no {@link ScanRequester}).
     */
    public static ApiServer start(
            ApiSettings settings, DataSource dataSource, InventorySettings inventory) {
        return start(settings, dataSource, null, inventory);
    }

    /** Starts listening with every optional part: config pushes and inventory/on-demand scans. */
    public static ApiServer start(
            ApiSettings settings,
            DataSource dataSource,
            @Nullable ConfigChangeSink changes,
            InventorySettings inventory) {
        return start(settings, dataSource, changes, inventory, List.of());
    }

    /**
     * As {@link #start(ApiSettings, DataSource)}, also applying {@code extras} to the config after
     * the API's own routes: how features later in the flow (the dashboard) add their routes to the
     * same server without the API depending on them.
     */
    public static ApiServer start(
            ApiSettings settings, DataSource dataSource, List<Consumer<JavalinConfig>> extras) {
        return start(settings, dataSource, null, InventorySettings.withoutKafka(), extras);
    }

    /** Starts listening with every optional part. */
    public static ApiServer start(
            ApiSettings settings,
            DataSource dataSource,
            @Nullable ConfigChangeSink changes,
            InventorySettings inventory,
            List<Consumer<JavalinConfig>> extras) {
        return start(settings, dataSource, changes, inventory, extras, Tracing.noop());
    }

    /**
     * Starts listening with every optional part, tracing result ingestion and its database write
     * with {@code tracing}.
     */
    public static ApiServer start(
            ApiSettings settings,
            DataSource dataSource,
            @Nullable ConfigChangeSink changes,
            InventorySettings inventory,
            List<Consumer<JavalinConfig>> extras,
            Tracing tracing) {
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
                                    changes,
                                    inventory,
                                    settings.requestsPerTokenPerMinute(),
                                    tracing);
                            extras.forEach(e -> e.accept(cfg));
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
