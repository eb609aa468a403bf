package dev.vigil.results;

import dev.vigil.results.internal.ChunkPipe;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The worker's side of the results API: {@code PUT /internal/v1/scans/{scanId}} with a service
 * token. A large result's body is streamed as it is serialised, so a 500,000-finding result is
 * never held twice in memory (once as objects, once as JSON); a small one (at most {@link
 * #BUFFERED_FINDINGS} findings, nearly every scan) is serialised into one array and sent with a
 * {@code Content-Length}, which spares each scan a pipe, a writer thread and chunked encoding on
 * both sides.
 *
 * <p>Each call is a client span, a child of the current span, sent in the {@code traceparent}
 * header so the API's ingestion continues the trace.
 *
 * <p>Thread-safe: one client is shared by all of a worker's virtual threads. Close it when the
 * worker stops.
 */
public final class ResultsClient implements AutoCloseable {

    /**
     * Results with at most this many findings are serialised whole before sending (well under a
     * megabyte of JSON); larger ones are streamed.
     */
    public static final int BUFFERED_FINDINGS = 1_000;

    private final HttpClient http;
    private final URI apiBase;
    private final String authorization;
    private final Duration timeout;
    private final Tracing tracing;

    private ResultsClient(
            HttpClient http, URI apiBase, String token, Duration timeout, Tracing tracing) {
        this.tracing = tracing;
        this.http = http;
        this.apiBase = apiBase;
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
    }

    /**
     * A client of the API at {@code apiBase} (e.g. {@code http://127.0.0.1:8080/}).
     *
     * @param timeout the limit for connecting and for the whole exchange of one call
     */
    public static ResultsClient create(URI apiBase, String serviceToken, Duration timeout) {
        return create(apiBase, serviceToken, timeout, Tracing.noop());
    }

    /** As {@link #create(URI, String, Duration)}, tracing each call with {@code tracing}. */
    public static ResultsClient create(
            URI apiBase, String serviceToken, Duration timeout, Tracing tracing) {
        HttpClient http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        String base = apiBase.toString();
        return new ResultsClient(
                http,
                URI.create(base.endsWith("/") ? base : base + "/"),
                serviceToken,
                timeout,
                tracing);
    }

    /**
     * Sends {@code result}; returns when the API has applied it (or ignored it as stale/replayed).
     *
     * @throws RetriableResultsException on timeouts, refused connections, 5xx and 429
     * @throws PermanentResultsException on other 4xx, with the API's problem detail in the message
     */
    public void submit(ScanResult result) {
        try (Traced t = tracing.open("PUT results", SpanKind.CLIENT)) {
            t.span().setAttribute("http.request.method", "PUT");
            t.span().setAttribute("vigil.scan_id", result.scanId().toString());
            t.span().setAttribute("vigil.findings", result.findings().size());
            try {
                send(result);
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private void send(ScanResult result) {
        URI uri = apiBase.resolve("internal/v1/scans/" + result.scanId());
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .PUT(body(result));
        tracing.inject(builder);
        HttpResponse<String> response = exchange(builder.build(), "scan " + result.scanId());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        throw refusal(
                status,
                "results API refused scan "
                        + result.scanId()
                        + " of target '"
                        + result.targetId()
                        + "' with HTTP "
                        + status
                        + ": "
                        + response.body());
    }

    /** A refused call: retriable on 5xx, 429 and 408, permanent otherwise. */
    private static ResultsSubmitException refusal(int status, String message) {
        if (status >= 500 || status == 429 || status == 408) {
            return new RetriableResultsException(message, null);
        }
        return new PermanentResultsException(status, message);
    }

    /**
     * Sends small results in one call ({@code POST /internal/v1/scan-batches}, one JSON result per
     * line) and returns, per result in order, null when the API applied or ignored it, or the
     * {@link PermanentResultsException} that refused it alone.
     *
     * @throws RetriableResultsException when the call as a whole failed (nothing was applied)
     * @throws PermanentResultsException when the API refused the call as a whole
     */
    public List<@Nullable PermanentResultsException> submitAll(List<ScanResult> results) {
        return submitAll(results, List.of());
    }

    /**
     * As {@link #submitAll(List)}; the call's span (a child of the current one) is linked to {@code
     * links}, the spans of the other scans whose results it carries, so each scan's trace leads to
     * the call that stored it.
     */
    public List<@Nullable PermanentResultsException> submitAll(
            List<ScanResult> results, List<SpanContext> links) {
        try (Traced t = tracing.open("POST result batch", SpanKind.CLIENT, links)) {
            t.span().setAttribute("http.request.method", "POST");
            t.span().setAttribute("vigil.batch.size", results.size());
            try {
                return sendAll(results);
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private List<@Nullable PermanentResultsException> sendAll(List<ScanResult> results) {
        URI uri = apiBase.resolve("internal/v1/scan-batches");
        ByteArrayOutputStream ndjson = new ByteArrayOutputStream(1024 * results.size());
        for (ScanResult r : results) {
            ResultsJson.write(r, ndjson);
            ndjson.write('\n');
        }
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson.toByteArray()));
        tracing.inject(builder);
        String what = results.size() + " results";
        HttpResponse<String> response = exchange(builder.build(), what);
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw refusal(
                    status,
                    "results API refused a batch of "
                            + what
                            + " with HTTP "
                            + status
                            + ": "
                            + response.body());
        }
        return BatchReply.read(response.body(), results);
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        URI uri = request.uri();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new RetriableResultsException(
                    "results API at " + uri + " did not answer within " + timeout, e);
        } catch (ConnectException e) {
            throw new RetriableResultsException(
                    "results API at " + uri + " refused the connection: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RetriableResultsException(
                    "sending " + what + " to " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableResultsException(
                    "interrupted while sending " + what + " to " + uri, e);
        }
    }

    private HttpRequest.BodyPublisher body(ScanResult result) {
        if (result.findings().size() > BUFFERED_FINDINGS) {
            return HttpRequest.BodyPublishers.ofInputStream(() -> stream(result));
        }
        ByteArrayOutputStream json =
                new ByteArrayOutputStream(4096 + 384 * result.findings().size());
        ResultsJson.write(result, json);
        return HttpRequest.BodyPublishers.ofByteArray(json.toByteArray());
    }

    /**
     * Serialises {@code result} on a virtual thread into a bounded pipe the HTTP client reads, so
     * the JSON of a huge result is never held whole. If the request dies, the writer gives up after
     * the request timeout.
     */
    private InputStream stream(ScanResult result) {
        ChunkPipe pipe = new ChunkPipe(timeout);
        Thread.ofVirtual()
                .name("results-body-" + result.scanId())
                .start(
                        () -> {
                            try (OutputStream out = pipe.sink()) {
                                ResultsJson.write(result, out);
                            } catch (IOException | RuntimeException e) {
                                // The request then fails on a truncated body and submit() reports
                                // that; nothing more to do on this thread.
                            }
                        });
        return pipe.source();
    }

    /** The tracing of this client's calls. */
    Tracing tracing() {
        return tracing;
    }

    @Override
    public void close() {
        http.close();
    }
}
