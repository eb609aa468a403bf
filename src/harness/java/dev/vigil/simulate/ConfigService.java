package dev.vigil.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A simulated config service: an HTTP server on 127.0.0.1 and a free port answering {@code GET
 * /v1/targets/{targetId}/config} with the document a provider returns for the target id, or 404
 * {@code application/problem+json} when the provider returns null. Each answer is delayed by a
 * {@link LatencyModel} sample, so a fleet's fetches see realistic, long-tailed latencies.
 *
 * <p>The JDK's HTTP server parses requests on one thread and runs every exchange on its own virtual
 * thread, so a delayed answer costs no platform thread; on loopback it serves thousands of requests
 * per second on two cores. The provider is called concurrently and must be thread-safe.
 */
public final class ConfigService implements AutoCloseable {

    /**
     * How long the service takes to answer: most requests lognormal around {@code median} (spread
     * {@code sigma}), and a {@code slowFraction} uniformly between {@code slowMin} and {@code
     * slowMax}, as when a backend is overloaded or a target is huge.
     */
    public record LatencyModel(
            Duration median,
            double sigma,
            double slowFraction,
            Duration slowMin,
            Duration slowMax) {

        public LatencyModel {
            if (median.isNegative()
                    || sigma < 0
                    || slowMin.isNegative()
                    || slowMax.compareTo(slowMin) < 0) {
                throw new IllegalArgumentException(
                        "latency model needs median >= 0, sigma >= 0 and 0 <= slowMin <= slowMax, got "
                                + median
                                + ", "
                                + sigma
                                + ", "
                                + slowMin
                                + ", "
                                + slowMax);
            }
            if (slowFraction < 0 || slowFraction > 1) {
                throw new IllegalArgumentException(
                        "slow fraction " + slowFraction + " must be between 0 and 1");
            }
        }

        /** No delay at all: for tests. */
        public static LatencyModel none() {
            return new LatencyModel(Duration.ZERO, 0, 0, Duration.ZERO, Duration.ZERO);
        }

        /** Every answer takes exactly this long: for timeout tests. */
        public static LatencyModel fixed(Duration latency) {
            return new LatencyModel(latency, 0, 0, Duration.ZERO, Duration.ZERO);
        }

        /** Median 2 ms (sigma 0.5), and 1 % of answers between 200 ms and 2 s. */
        public static LatencyModel typical() {
            return new LatencyModel(
                    Duration.ofMillis(2), 0.5, 0.01, Duration.ofMillis(200), Duration.ofSeconds(2));
        }

        /** One delay drawn from the model. */
        public Duration sample(RandomGenerator random) {
            if (slowFraction > 0 && random.nextDouble() < slowFraction) {
                long span = slowMax.toNanos() - slowMin.toNanos();
                return slowMin.plusNanos(span == 0 ? 0 : random.nextLong(span + 1));
            }
            if (median.isZero()) {
                return Duration.ZERO;
            }
            double factor = sigma == 0 ? 1 : Math.exp(sigma * random.nextGaussian());
            return Duration.ofNanos(Math.round(median.toNanos() * factor));
        }
    }

    private static final String PREFIX = "/v1/targets/";
    private static final String SUFFIX = "/config";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<String, byte @Nullable []> documents;
    private final LatencyModel latency;
    private final byte @Nullable [] expectedAuthorization;
    private final LongAdder requests = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private ConfigService(
            HttpServer server,
            ExecutorService executor,
            Function<String, byte @Nullable []> documents,
            LatencyModel latency,
            @Nullable String bearerToken) {
        this.server = server;
        this.executor = executor;
        this.documents = documents;
        this.latency = latency;
        this.expectedAuthorization =
                bearerToken == null
                        ? null
                        : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a service without delay or token check. */
    public static ConfigService start(Function<String, byte @Nullable []> documents) {
        return start(documents, LatencyModel.none(), null);
    }

    /**
     * Starts the service on a free port of 127.0.0.1.
     *
     * @param documents the document of a target id, or null when the target is unknown (404)
     * @param latency how long each answer is delayed
     * @param bearerToken when not null, requests without {@code Authorization: Bearer <token>} get
     *     401
     */
    public static ConfigService start(
            Function<String, byte @Nullable []> documents,
            LatencyModel latency,
            @Nullable String bearerToken) {
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(latency, "latency");
        HttpServer server;
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(
                                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0),
                            1024);
        } catch (IOException e) {
            throw new UncheckedIOException("simulated config service cannot bind 127.0.0.1", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ConfigService service =
                new ConfigService(server, executor, documents, latency, bearerToken);
        server.setExecutor(executor);
        server.createContext("/", service::handle);
        server.start();
        return service;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.increment();
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(PREFIX)
                    || !path.endsWith(SUFFIX)
                    || path.length() <= PREFIX.length() + SUFFIX.length()) {
                notFound.increment();
                problem(
                        exchange,
                        404,
                        "Not Found",
                        "no such resource: "
                                + path
                                + " (expected GET "
                                + PREFIX
                                + "{targetId}"
                                + SUFFIX
                                + ")");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                problem(
                        exchange,
                        405,
                        "Method Not Allowed",
                        exchange.getRequestMethod() + " is not supported; use GET");
                return;
            }
            if (expectedAuthorization != null && !authorized(exchange)) {
                unauthorized.increment();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                problem(exchange, 401, "Unauthorized", "missing or wrong bearer token");
                return;
            }
            String raw = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            String targetId = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            delay();
            byte[] document = documents.apply(targetId);
            if (document == null) {
                notFound.increment();
                problem(exchange, 404, "Not Found", "no configuration for target " + targetId);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            // Counted before the answer leaves: a client holding its document always sees it
            // counted (counted after the write, a fast client could read the count first).
            served.increment();
            exchange.sendResponseHeaders(200, document.length == 0 ? -1 : document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        } catch (InterruptedException e) {
            // close() interrupts delayed answers; the exchange is closed above without a response.
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null
                && expectedAuthorization != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private void delay() throws InterruptedException {
        // Counted while delayed, before any answer byte: a client that waits for its answers
        // before sending more can never be seen above its own concurrency.
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Duration d = latency.sample(java.util.concurrent.ThreadLocalRandom.current());
            if (!d.isZero()) {
                Thread.sleep(d);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail)
            throws IOException {
        byte[] body =
                ("{\"type\":\"about:blank\",\"title\":\""
                                + title
                                + "\",\"status\":"
                                + status
                                + ",\"detail\":\""
                                + escape(detail)
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code http://127.0.0.1:port} */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests received, whatever their answer. */
    public long requests() {
        return requests.sum();
    }

    /** Documents answered with 200, counted as each answer starts. */
    public long documentsServed() {
        return served.sum();
    }

    /** Requests answered 404 (unknown target or path). */
    public long notFound() {
        return notFound.sum();
    }

    /**
     * The most well-formed requests for a document in their answer delay at once so far: a client's
     * concurrency as seen by the service.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** Requests answered 401 (token missing or wrong). */
    public long unauthorized() {
        return unauthorized.sum();
    }

    /** Stops listening at once and interrupts answers still being delayed. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        executor.close();
    }

    @Override
    public String toString() {
        return "ConfigService[" + baseUrl() + ", " + latency + "]";
    }
}
