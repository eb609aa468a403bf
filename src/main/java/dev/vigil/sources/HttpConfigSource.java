package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.sources.internal.BoundedBody;
import dev.vigil.sources.internal.JsonDocuments;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches configuration documents from an HTTP config service: {@code GET
 * {base}/v1/targets/{targetId}/config}, answered by a JSON object.
 *
 * <p>One {@link HttpClient} (HTTP/1.1, connections kept alive and reused) serves all fetches;
 * {@link #fetch} blocks its (virtual) thread for at most the timeout, which bounds the whole
 * exchange: connect, headers and body. Bodies longer than {@code maxDocumentBytes} are refused as
 * they arrive, so a runaway document never fills the heap.
 *
 * <p>Verdicts: 200 with a JSON object → the document; 404 → {@link PermanentSourceException}
 * (target unknown); 408, 429 and 5xx → {@link RetriableSourceException}; any other status →
 * permanent; a body that is not one JSON object or is too large → permanent; timeouts and
 * connection failures → retriable.
 *
 * <p>Tracing: each fetch is a client span, a child of the current span, whose context is sent in
 * the request's {@code traceparent} header.
 */
public final class HttpConfigSource implements ConfigSource {

    /** A cap on documents when the caller has no better figure: 16 MiB. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /** How much of an error body is quoted in an exception message. */
    private static final int ERROR_BODY_QUOTE = 300;

    private final URI baseUrl;
    private final Duration timeout;
    private final @Nullable String authorization;
    private final int maxDocumentBytes;
    private final HttpClient client;
    private final Tracing tracing;

    private HttpConfigSource(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
            Tracing tracing) {
        this.tracing = tracing;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
        this.maxDocumentBytes = maxDocumentBytes;
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * @param baseUrl where the service lives, e.g. {@code http://127.0.0.1:8081}; a path prefix is
     *     kept
     * @param timeout the most one fetch may take, connect to last byte
     * @param bearerToken sent as {@code Authorization: Bearer ...} when not null
     * @param maxDocumentBytes documents longer than this are refused as permanent failures
     * @throws IllegalArgumentException if the URL is not http(s), or the timeout or cap not
     *     positive
     */
    public static HttpConfigSource create(
            URI baseUrl, Duration timeout, @Nullable String bearerToken, int maxDocumentBytes) {
        return create(baseUrl, timeout, bearerToken, maxDocumentBytes, Tracing.noop());
    }

    /** As {@link #create(URI, Duration, String, int)}, tracing each fetch with {@code tracing}. */
    public static HttpConfigSource create(
            URI baseUrl,
            Duration timeout,
            @Nullable String bearerToken,
            int maxDocumentBytes,
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
        String base = baseUrl.toString();
        URI normalized = URI.create(base.endsWith("/") ? base : base + "/");
        return new HttpConfigSource(normalized, timeout, bearerToken, maxDocumentBytes, tracing);
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

    /** Fetches the target's document from {@code url} with this source's timeout, cap and token. */
    ConfigDocument fetchFrom(Target target, URI url) {
        try (Traced t = tracing.open("GET config", SpanKind.CLIENT)) {
            t.span().setAttribute("http.request.method", "GET");
            t.span().setAttribute("url.full", url.toString());
            t.span().setAttribute("vigil.target_id", target.targetId());
            try {
                return exchange(target, url);
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private ConfigDocument exchange(Target target, URI url) {
        String targetId = target.targetId();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Accept", "application/json")
                        .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        tracing.inject(request);
        long began = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request.build(), this::bodyFor);
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new RetriableSourceException(
                    targetId,
                    failure(targetId, url, "timed out after " + timeout.toMillis() + " ms", began),
                    e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new RetriableSourceException(
                    targetId, failure(targetId, url, "interrupted", began), e);
        } catch (ExecutionException e) {
            throw failed(targetId, url, e.getCause() == null ? e : e.getCause(), began);
        }
        return verdict(target, url, response, began);
    }

    private HttpResponse.BodySubscriber<byte[]> bodyFor(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        return info.statusCode() == 200
                ? BoundedBody.of(maxDocumentBytes, BoundedBody.Mode.FAIL, declared)
                : BoundedBody.of(ERROR_BODY_QUOTE, BoundedBody.Mode.TRUNCATE, declared);
    }

    private ConfigDocument verdict(
            Target target, URI url, HttpResponse<byte[]> response, long began) {
        String targetId = target.targetId();
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == 200) {
            String problem = JsonDocuments.problem(body);
            if (problem != null) {
                throw new PermanentSourceException(
                        targetId, failure(targetId, url, "status 200 but " + problem, began), null);
            }
            return new ConfigDocument(target, body, Instant.now(), elapsed(began));
        }
        String what = "status " + status + quote(body);
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetriableSourceException(targetId, failure(targetId, url, what, began), null);
        }
        if (status == 404) {
            what = what + " (the service does not know this target)";
        }
        throw new PermanentSourceException(targetId, failure(targetId, url, what, began), null);
    }

    private ConfigSourceException failed(String targetId, URI url, Throwable cause, long began) {
        if (cause instanceof BoundedBody.TooLarge) {
            return new PermanentSourceException(
                    targetId,
                    failure(targetId, url, "status 200 but " + cause.getMessage(), began),
                    cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new RetriableSourceException(
                    targetId,
                    // The client's own request timeout (the same figure as ours) may fire first.
                    failure(targetId, url, "timed out after " + timeout.toMillis() + " ms", began),
                    cause);
        }
        if (cause instanceof IOException) {
            // Refused, reset, closed mid-body: the service or the network may recover.
            return new RetriableSourceException(
                    targetId, failure(targetId, url, "connection failed: " + cause, began), cause);
        }
        return new PermanentSourceException(
                targetId, failure(targetId, url, "request failed: " + cause, began), cause);
    }

    private static String failure(String targetId, URI url, String what, long began) {
        return "config fetch for target "
                + targetId
                + " from "
                + url
                + " failed after "
                + elapsed(began).toMillis()
                + " ms: "
                + what;
    }

    private static String quote(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        return ": " + new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    }

    private static Duration elapsed(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** Closes the HTTP client, waiting for fetches in flight. */
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
                + " bytes, token "
                + (authorization == null ? "none" : "****")
                + "]";
    }
}
