package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.sources.internal.BoundedBody;
import dev.vigil.sources.internal.Http1Client;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Fetches configuration documents from an HTTP config service: {@code GET
 * {base}/v1/targets/{targetId}/config}, answered by a JSON object.
 *
 * <p>Each fetch is one blocking HTTP/1.1 exchange on the calling (virtual) thread ({@link
 * Http1Client}); connections are kept alive and reused per host, and one the server closed while
 * idle is replaced and the request sent again (a {@code GET}). Over {@code https} it is TLS with
 * the JDK's default trust and host-name checks.
 *
 * <p>At most {@code maxPerHost} fetches are in flight to one host (scheme, host and port) at once:
 * each is a connection of its own, and more would overload one backend. A fetch waits for a slot
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
     * Blocking HTTP/1.1 on the fetching (virtual) thread. The JDK's {@code HttpClient} it replaced
     * ran each exchange through its selector thread and asynchronous stages: {@code vigil bench
     * fetch} measured 78 and 87 µs of CPU per fetch with this, 179 and 186 µs with that (64 in
     * flight, service included), and the fast worker's CPU per scan in {@code vigil bench pipeline}
     * halved (docs/benchmarks/2026-12-06-blocking-fetch).
     */
    private final Http1Client client = new Http1Client();

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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        tracing.inject(headers::put);
        // The document's fetch time is the exchange alone: a wait for a slot says nothing about
        // the target, and the fast lane hands targets on by their fetch time.
        long sent = System.nanoTime();
        Http1Client.Response response;
        try {
            response = client.get(url, headers, sent + wait.toNanos(), cap, ERROR_BODY_QUOTE);
        } catch (HttpTimeoutException e) {
            if (timeBudget) {
                return overTime(budget);
            }
            throw HttpVerdicts.failed(targetId, url, e, began, timeout);
        } catch (BoundedBody.TooLarge e) {
            if (sizeBudget) {
                return new Fetched.OverBudget(String.valueOf(e.getMessage()));
            }
            throw HttpVerdicts.failed(targetId, url, e, began, timeout);
        } catch (IOException | IllegalArgumentException e) {
            throw HttpVerdicts.failed(targetId, url, e, began, timeout);
        }
        return new Fetched.Document(
                HttpVerdicts.verdict(target, url, response.status(), response.body(), began, sent));
    }

    private static Fetched overTime(FetchBudget budget) {
        return new Fetched.OverBudget("fetch over " + budget.maxTime().toMillis() + " ms");
    }

    /** Closes the idle connections; a fetch in flight closes its own when it ends. */
    @Override
    public void close() {
        client.close();
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
