package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.sources.internal.BoundedBody;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches configuration documents from an HTTP config service: {@code GET
 * {base}/v1/targets/{targetId}/config}, answered by a JSON object.
 *
 * <p>One {@link HttpClient} serves all fetches. It asks for HTTP/2: over {@code https} it is
 * negotiated by ALPN and all fetches to a host share one multiplexed connection; over cleartext
 * {@code http} the client sends its first request on each new connection as HTTP/1.1 with an {@code
 * Upgrade: h2c} offer, which servers that do not speak h2c (most, and the simulated service) simply
 * ignore, so the exchange stays HTTP/1.1. HTTP/1.1 connections are kept alive and reused from the
 * client's pool (idle ones close after the JDK's keep-alive timeout, {@code
 * jdk.httpclient.keepalive.timeout}).
 *
 * <p>At most {@code maxPerHost} fetches are in flight to one host (scheme, host and port) at once:
 * more would open as many HTTP/1.1 connections and overload one backend. A fetch waits for a slot
 * within its own timeout, which bounds the whole fetch: waiting for a slot, connect, headers and
 * body. {@link #fetch} blocks its (virtual) thread for at most that timeout. Bodies longer than
 * {@code maxDocumentBytes} are refused as they arrive, so a runaway document never fills the heap.
 *
 * <p>Verdicts: 200 with a body that opens a JSON object → the document; 404 → {@link
 * PermanentSourceException} (target unknown); 408, 429 and 5xx → {@link RetriableSourceException};
 * any other status → permanent; a 200 body that does not open a JSON object (an HTML page, an empty
 * body, an array) or is too large → permanent; timeouts (including no free slot for the host within
 * the timeout) and connection failures → retriable. The rest of the body is judged where it is
 * decoded, once: a document broken further in fails its scan there, permanently ({@code
 * JsonDocuments}).
 *
 * <p>Tracing: each fetch is a client span, a child of the current span, whose context is sent in
 * the request's {@code traceparent} header.
 */
public final class HttpConfigSource implements ConfigSource {

    /** A cap on documents when the caller has no better figure: 16 MiB. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /**
     * Concurrent fetches per host when the caller has no better figure: enough for a worker's
     * consumers on a typical latency mix (a few in flight per fast fetch, plus the 1 % slow ones
     * holding theirs for seconds), far below what exhausts a backend's connections.
     */
    public static final int DEFAULT_MAX_PER_HOST = 128;

    /** How much of an error body is quoted in an exception message. */
    private static final int ERROR_BODY_QUOTE = 300;

    private final URI baseUrl;
    private final Duration timeout;
    private final @Nullable String authorization;
    private final int maxDocumentBytes;
    private final int maxPerHost;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    /**
     * Where the client runs its asynchronous stages (a response's headers and body handed on, the
     * next exchange's send): a virtual thread each. The client's default, a cached pool of platform
     * threads, costs a wake-up of a parked platform thread per stage; {@code vigil bench fetch}
     * measured 242 and 238 µs of CPU per fetch with it, 160 and 140 µs with this
     * (docs/benchmarks/2026-12-06-fetch-executor). Running the stages on the selector thread itself
     * ({@code Runnable::run}) measured the same with 64 fetches in flight, but puts every
     * exchange's parsing on the one thread that serves all connections.
     */
    private final ExecutorService stages;

    private final HttpClient client;
    private final Tracing tracing;

    private HttpConfigSource(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
            int maxPerHost,
            Tracing tracing) {
        this.tracing = tracing;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxPerHost = maxPerHost;
        this.stages = Executors.newVirtualThreadPerTaskExecutor();
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(stages)
                        .build();
    }

    /** As {@link #create(URI, Duration, String, int, int)} with {@link #DEFAULT_MAX_PER_HOST}. */
    public static HttpConfigSource create(
            URI baseUrl, Duration timeout, @Nullable String bearerToken, int maxDocumentBytes) {
        return create(baseUrl, timeout, bearerToken, maxDocumentBytes, DEFAULT_MAX_PER_HOST);
    }

    /** As {@link #create(URI, Duration, String, int, int, Tracing)} with the default limit. */
    public static HttpConfigSource create(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
            Tracing tracing) {
        return create(
                baseUrl, timeout, bearerToken, maxDocumentBytes, DEFAULT_MAX_PER_HOST, tracing);
    }

    /**
     * A source fetching from one HTTP service, at most {@code maxPerHost} fetches at once.
     *
     * @param baseUrl where the service lives, e.g. {@code http://127.0.0.1:8081}; a path prefix is
     *     kept
     * @param timeout the most one fetch may take, waiting for a slot to last byte
     * @param bearerToken sent as {@code Authorization: Bearer ...} when not null
     * @param maxDocumentBytes documents longer than this are refused as permanent failures
     * @param maxPerHost fetches in flight to one host at once
     * @throws IllegalArgumentException if the URL is not http(s), or the timeout, cap or limit not
     *     positive
     */
    public static HttpConfigSource create(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
            int maxPerHost) {
        return create(baseUrl, timeout, bearerToken, maxDocumentBytes, maxPerHost, Tracing.noop());
    }

    /**
     * As {@link #create(URI, Duration, String, int, int)}, tracing each fetch with {@code tracing}.
     */
    public static HttpConfigSource create(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
            int maxPerHost,
            Tracing tracing) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(
                    "config service URL '" + baseUrl + "' must start with http:// or https://");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "config service timeout " + timeout + " must be positive");
        }
        if (maxDocumentBytes <= 0) {
            throw new IllegalArgumentException(
                    "maximum document size " + maxDocumentBytes + " must be positive");
        }
        if (maxPerHost <= 0) {
            throw new IllegalArgumentException(
                    "concurrent fetches per host " + maxPerHost + " must be positive");
        }
        String base = baseUrl.toString();
        URI normalized = URI.create(base.endsWith("/") ? base : base + "/");
        return new HttpConfigSource(
                normalized, timeout, bearerToken, maxDocumentBytes, maxPerHost, tracing);
    }

    /** The URL a target's document is fetched from. */
    public URI urlOf(String targetId) {
        String segment = URLEncoder.encode(targetId, StandardCharsets.UTF_8).replace("+", "%20");
        return baseUrl.resolve("v1/targets/" + segment + "/config");
    }

    @Override
    public ConfigDocument fetch(Target target) {
        return fetchFrom(target, urlOf(target.targetId()));
    }

    /** The whole document at {@code url}, with no budget but the source's own limits. */
    ConfigDocument fetchFrom(Target target, URI url) {
        return switch (fetchFrom(target, url, FetchBudget.UNLIMITED)) {
            case Fetched.Document d -> d.document();
            case Fetched.OverBudget o ->
                    throw new IllegalStateException("over an unlimited budget: " + o.reason());
        };
    }

    /**
     * Stops the exchange once it runs longer than the budget's time (the wait for a slot not
     * counted) or the body grows past its bytes, and answers {@link Fetched.OverBudget}; the
     * source's own timeout and document cap still apply when they are the tighter limits, with
     * their usual verdicts.
     */
    @Override
    public Fetched fetch(Target target, FetchBudget budget) {
        return fetchFrom(target, urlOf(target.targetId()), budget);
    }

    /**
     * Fetches the target's document from {@code url} with this source's timeout, cap, token and
     * per-host limit, within {@code budget}.
     */
    Fetched fetchFrom(Target target, URI url, FetchBudget budget) {
        try (Traced t = tracing.open("GET config", SpanKind.CLIENT)) {
            t.span().setAttribute("http.request.method", "GET");
            t.span().setAttribute("url.full", url.toString());
            t.span().setAttribute("vigil.target_id", target.targetId());
            try {
                return exchange(target, url, budget);
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private Fetched exchange(Target target, URI url, FetchBudget budget) {
        String targetId = target.targetId();
        long began = System.nanoTime();
        Semaphore slot = slots(url);
        try {
            if (!slot.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RetriableSourceException(
                        targetId,
                        HttpVerdicts.failure(
                                targetId,
                                url,
                                "timed out after "
                                        + timeout.toMillis()
                                        + " ms waiting for one of the "
                                        + maxPerHost
                                        + " fetches allowed at once to "
                                        + authority(url)
                                        + " (all busy); raise the per-host limit"
                                        + " (VIGIL_CONFIG_SOURCE_MAX_PER_HOST) if the service"
                                        + " can take more, or the timeout",
                                began),
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSourceException(
                    targetId,
                    HttpVerdicts.failure(targetId, url, "interrupted waiting for a slot", began),
                    e);
        }
        try {
            return exchange(target, url, budget, began);
        } finally {
            slot.release();
        }
    }

    /** The slots of {@code url}'s host: {@code maxPerHost} permits, created on first use. */
    Semaphore slots(URI url) {
        return slots.computeIfAbsent(authority(url), a -> new Semaphore(maxPerHost, true));
    }

    private static String authority(URI url) {
        return url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
    }

    private Fetched exchange(Target target, URI url, FetchBudget budget, long began) {
        String targetId = target.targetId();
        // What the slot wait left of the timeout; at least a millisecond for the client's check.
        Duration waited = HttpVerdicts.elapsed(began);
        Duration left = timeout.minus(waited);
        if (left.compareTo(Duration.ofMillis(1)) < 0) {
            left = Duration.ofMillis(1);
        }
        // The budget's limits, where they are tighter than the source's own, end the exchange
        // with an over-budget answer instead of a failure.
        boolean timeBudget = budget.maxTime().compareTo(left) < 0;
        Duration wait = timeBudget ? budget.maxTime() : left;
        boolean sizeBudget = budget.maxBytes() < maxDocumentBytes;
        int cap = sizeBudget ? budget.maxBytes() : maxDocumentBytes;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(wait)
                        .header("Accept", "application/json")
                        .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        tracing.inject(request);
        // The document's fetch time is the exchange alone: a wait for a slot says nothing about
        // the target, and the fast lane hands targets on by their fetch time.
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request.build(), info -> bodyFor(info, cap));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            if (timeBudget) {
                return overTime(budget);
            }
            throw new RetriableSourceException(
                    targetId,
                    HttpVerdicts.failure(
                            targetId, url, "timed out after " + timeout.toMillis() + " ms", began),
                    e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new RetriableSourceException(
                    targetId, HttpVerdicts.failure(targetId, url, "interrupted", began), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (timeBudget && cause instanceof HttpTimeoutException) {
                return overTime(budget);
            }
            if (sizeBudget && cause instanceof BoundedBody.TooLarge) {
                return new Fetched.OverBudget(String.valueOf(cause.getMessage()));
            }
            throw HttpVerdicts.failed(targetId, url, cause, began, timeout);
        }
        return new Fetched.Document(HttpVerdicts.verdict(target, url, response, began, sent));
    }

    private static Fetched overTime(FetchBudget budget) {
        return new Fetched.OverBudget("fetch over " + budget.maxTime().toMillis() + " ms");
    }

    private static HttpResponse.BodySubscriber<byte[]> bodyFor(
            HttpResponse.ResponseInfo info, int cap) {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        return info.statusCode() == 200
                ? BoundedBody.of(cap, BoundedBody.Mode.FAIL, declared)
                : BoundedBody.of(ERROR_BODY_QUOTE, BoundedBody.Mode.TRUNCATE, declared);
    }

    /** Closes the HTTP client, waiting for fetches in flight, then its stages' executor. */
    @Override
    public void close() {
        client.close();
        stages.close();
    }

    @Override
    public String toString() {
        return "HttpConfigSource["
                + baseUrl
                + ", timeout "
                + timeout.toMillis()
                + " ms, max "
                + maxDocumentBytes
                + " bytes, "
                + maxPerHost
                + " per host, token "
                + (authorization == null ? "none" : "****")
                + "]";
    }
}
