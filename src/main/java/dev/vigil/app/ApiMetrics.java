package dev.vigil.app;

import dev.vigil.api.WriteObservation;
import dev.vigil.results.WritePath;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API's request and write meters, recorded by a Javalin request logger added to the API server
 * as an extra (the API itself knows no metrics library):
 *
 * <ul>
 *   <li>{@code vigil_api_request_duration_seconds{route,method,status}}: a histogram per route
 *       <em>template</em> ({@code /v1/accounts/{account_id}/insights}, never the raw path, so
 *       account ids do not become series); requests no route matched (the dashboard's static files,
 *       404s) count as {@code unmatched};
 *   <li>{@code vigil_results_writes_total{path}}, {@code vigil_results_write_rows_total{path}} and
 *       {@code vigil_results_write_duration_seconds{path}}: results applied by write path ({@code
 *       unnest}, {@code copy}; {@code none} for replayed results, {@code superseded} for results
 *       that came after a newer scan of their target).
 * </ul>
 */
final class ApiMetrics {
    static final Duration[] REQUEST_BUCKETS =
            buckets(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);
    static final Duration[] WRITE_BUCKETS =
            buckets(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000);

    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<WritePath, Write> writes = new ConcurrentHashMap<>();

    private record Write(Counter count, Counter rows, Timer duration) {}

    private ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        // both paths from the start, so that dashboards and alerts see zeros rather than nothing
        write(WritePath.UNNEST);
        write(WritePath.COPY);
    }

    static ApiMetrics on(MeterRegistry registry) {
        return new ApiMetrics(registry);
    }

    /** Adds the request logger; pass as an extra to {@code ApiServer.start}. */
    void register(JavalinConfig cfg) {
        cfg.requestLogger.http((ctx, ms) -> record(ctx, ms));
    }

    private void record(Context ctx, float ms) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        String route = e == null ? "unmatched" : e.path;
        String method = ctx.method().name();
        String status = Integer.toString(ctx.statusCode());
        requests.computeIfAbsent(
                        route + ' ' + method + ' ' + status,
                        k ->
                                Timer.builder("vigil_api_request_duration_seconds")
                                        .description("API requests by route template and status")
                                        .tags("route", route, "method", method, "status", status)
                                        .serviceLevelObjectives(REQUEST_BUCKETS)
                                        .register(registry))
                .record((long) (ms * 1_000_000.0), TimeUnit.NANOSECONDS);
        WriteObservation.of(ctx)
                .forEach(
                        w -> {
                            Write m = write(w.path());
                            m.count().increment();
                            m.rows().increment(w.findings());
                            m.duration().record(w.elapsed());
                        });
    }

    private Write write(WritePath path) {
        return writes.computeIfAbsent(
                path,
                p ->
                        new Write(
                                Counter.builder("vigil_results_writes")
                                        .description("scan results applied, by write path")
                                        .tag("path", p.label())
                                        .register(registry),
                                Counter.builder("vigil_results_write_rows")
                                        .description("findings written, by write path")
                                        .tag("path", p.label())
                                        .register(registry),
                                Timer.builder("vigil_results_write_duration_seconds")
                                        .description(
                                                "time to apply one scan result in its transaction")
                                        .tag("path", p.label())
                                        .serviceLevelObjectives(WRITE_BUCKETS)
                                        .register(registry)));
    }

    private static Duration[] buckets(long... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }
}
