package dev.vigil.sources;

import dev.vigil.sources.internal.BoundedBody;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads several stored versions of pushed documents in one call: {@code POST
 * /internal/v1/targets/config:batch} of the API, with the workers' service token. Each document is
 * handed over as the exact bytes the API answered. Verdicts of the call: timeouts, refused
 * connections, 408, 429 and 5xx are {@link RetriableSourceException}; any other failure is a {@link
 * PermanentSourceException} (an API without the route answers 404 or 405). Thread-safe.
 */
public final class SnapshotBatchClient implements AutoCloseable {

    /** One version asked for. */
    public record Wanted(String targetId, long version) {}

    /** What the API answered for one version. */
    public sealed interface Answer {
        /** The stored document, exact bytes (never modified by anyone). */
        // The array is the document, handed over without a copy, as in ConfigDocument.
        @SuppressWarnings("ArrayRecordComponent")
        record Found(byte[] json) implements Answer {}

        /** Not answered: 404 (never stored, or pruned), or 413 (fetch it alone). */
        record Missing(int status, String detail) implements Answer {}
    }

    /**
     * Default cap on an answer: the API fills one with at most 32 MiB of documents, plus the items'
     * other fields.
     */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 40 * 1024 * 1024;

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI url;
    private final String authorization;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final Tracing tracing;

    private SnapshotBatchClient(
            HttpClient http,
            URI url,
            String serviceToken,
            Duration timeout,
            int maxResponseBytes,
            Tracing tracing) {
        this.http = http;
        this.url = url;
        this.authorization = "Bearer " + serviceToken;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.tracing = tracing;
    }

    /**
     * A client of the API at {@code apiUrl} (e.g. {@code http://127.0.0.1:8080/}).
     *
     * @param timeout for connecting and for the whole exchange of one call
     * @param maxResponseBytes answers longer than this fail the call (permanent)
     */
    public static SnapshotBatchClient create(
            URI apiUrl,
            String serviceToken,
            Duration timeout,
            int maxResponseBytes,
            Tracing tracing) {
        String base = apiUrl.toString();
        URI url =
                URI.create(
                        (base.endsWith("/") ? base : base + "/")
                                + "internal/v1/targets/config:batch");
        HttpClient http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        return new SnapshotBatchClient(http, url, serviceToken, timeout, maxResponseBytes, tracing);
    }

    /**
     * The answers for {@code wanted} (not empty), by version asked for.
     *
     * @throws RetriableSourceException when the call may succeed later
     * @throws PermanentSourceException when it will not
     */
    public Map<Wanted, Answer> fetch(List<Wanted> wanted) {
        String first = wanted.getFirst().targetId();
        try (Traced t = tracing.open("POST config:batch", SpanKind.CLIENT)) {
            t.span().setAttribute("http.request.method", "POST");
            t.span().setAttribute("vigil.items", wanted.size());
            try {
                return parse(first, exchange(first, wanted, System.nanoTime()));
            } catch (RuntimeException e) {
                t.fail(e);
                throw e;
            }
        }
    }

    private byte[] exchange(String first, List<Wanted> wanted, long began) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (Wanted w : wanted) {
            items.addObject().put("target_id", w.targetId()).put("version", w.version());
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        MAPPER.writeValueAsBytes(body)));
        tracing.inject(request);
        HttpResponse<byte[]> response;
        try {
            response =
                    http.send(
                            request.build(),
                            info ->
                                    BoundedBody.of(
                                            maxResponseBytes,
                                            BoundedBody.Mode.FAIL,
                                            info.headers()
                                                    .firstValueAsLong("content-length")
                                                    .orElse(-1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSourceException(first, failure(wanted, "interrupted", began), e);
        } catch (HttpTimeoutException e) {
            throw new RetriableSourceException(
                    first,
                    failure(wanted, "timed out after " + timeout.toMillis() + " ms", began),
                    e);
        } catch (BoundedBody.TooLarge e) {
            throw new PermanentSourceException(first, failure(wanted, e.getMessage(), began), e);
        } catch (IOException e) {
            throw new RetriableSourceException(
                    first, failure(wanted, "connection failed: " + e, began), e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        String what =
                "status "
                        + status
                        + ": "
                        + new String(response.body(), StandardCharsets.UTF_8)
                                .replaceAll("\\s+", " ")
                                .strip();
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetriableSourceException(first, failure(wanted, what, began), null);
        }
        throw new PermanentSourceException(first, failure(wanted, what, began), null);
    }

    private String failure(List<Wanted> wanted, @Nullable String what, long began) {
        return "batch snapshot fetch of "
                + wanted.size()
                + " versions (first: target "
                + wanted.getFirst().targetId()
                + " v"
                + wanted.getFirst().version()
                + ") from "
                + url
                + " failed after "
                + Duration.ofNanos(System.nanoTime() - began).toMillis()
                + " ms: "
                + what;
    }

    /**
     * Reads the answer by streaming, so each document's bytes are copied out exactly as sent rather
     * than re-serialized from a tree.
     */
    private Map<Wanted, Answer> parse(String first, byte[] body) {
        Map<Wanted, Answer> out = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"items".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    item(p, body, out);
                }
            }
        } catch (JacksonException | IllegalStateException e) {
            throw new PermanentSourceException(
                    first, "batch snapshot answer from " + url + " is malformed: " + e, e);
        }
        return out;
    }

    private static void item(JsonParser p, byte[] body, Map<Wanted, Answer> out) {
        @Nullable String targetId = null;
        long version = 0;
        int status = 0;
        byte @Nullable [] document = null;
        String detail = "";
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "target_id" -> targetId = p.getString();
                case "version" -> version = p.getLongValue();
                case "status" -> status = p.getIntValue();
                case "document" -> {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    document = Arrays.copyOfRange(body, start, end);
                }
                case "problem" -> detail = detail(p);
                default -> p.skipChildren();
            }
        }
        if (targetId == null) {
            throw new IllegalStateException("an item without target_id");
        }
        Wanted w = new Wanted(targetId, version);
        out.put(
                w,
                status == 200 && document != null
                        ? new Answer.Found(document)
                        : new Answer.Missing(status, detail));
    }

    /** The {@code detail} of the problem object the parser is at. */
    private static String detail(JsonParser p) {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String detail = "";
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("detail".equals(field) && p.currentToken() == JsonToken.VALUE_STRING) {
                detail = p.getString();
            } else {
                p.skipChildren();
            }
        }
        return detail;
    }

    private static void expect(@Nullable JsonToken got, JsonToken wanted) {
        if (got != wanted) {
            throw new IllegalStateException("expected " + wanted + " but found " + got);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "SnapshotBatchClient[" + url + "]";
    }
}
