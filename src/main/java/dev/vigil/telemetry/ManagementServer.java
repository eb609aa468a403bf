package dev.vigil.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The management endpoint of a role, on its own port so that probes and scrapes never queue behind
 * API traffic: {@code GET /metrics} (Prometheus text format), {@code GET /livez} (the process
 * answers), {@code GET /readyz} (every registered {@link HealthCheck} passes; 503 with the failing
 * ones otherwise).
 *
 * <p>Thread-safe. Closing stops the server; the registry stays with its owner.
 */
public final class ManagementServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts listening on {@code host:port} (port 0 picks a free one).
     *
     * @param checks readiness conditions by name, evaluated in order on every {@code /readyz}
     */
    public static ManagementServer start(
            String host,
            int port,
            PrometheusMeterRegistry registry,
            Map<String, HealthCheck> checks) {
        Map<String, HealthCheck> ordered = new LinkedHashMap<>(checks);
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 0);
            ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
            s.setExecutor(ex);
            s.createContext(
                    "/metrics",
                    x ->
                            respond(
                                    x,
                                    200,
                                    "text/plain; version=0.0.4; charset=utf-8",
                                    registry.scrape()));
            s.createContext("/livez", x -> respond(x, 200, "text/plain; charset=utf-8", "ok\n"));
            s.createContext("/readyz", x -> readiness(x, ordered));
            s.start();
            return new ManagementServer(s, ex);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "management endpoint cannot listen on "
                            + host
                            + ":"
                            + port
                            + " (VIGIL_MANAGEMENT_PORT)",
                    e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/");
    }

    private static void readiness(HttpExchange x, Map<String, HealthCheck> checks)
            throws IOException {
        StringBuilder body = new StringBuilder();
        boolean ready = true;
        for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
            HealthCheck.Status s;
            try {
                s = e.getValue().check();
            } catch (RuntimeException ex) {
                s = HealthCheck.Status.down(ex.toString());
            }
            ready &= s.ready();
            body.append(s.ready() ? "ok   " : "FAIL ")
                    .append(e.getKey())
                    .append(": ")
                    .append(s.detail())
                    .append('\n');
        }
        respond(x, ready ? 200 : 503, "text/plain; charset=utf-8", body.toString());
    }

    private static void respond(HttpExchange x, int status, String type, String body)
            throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
