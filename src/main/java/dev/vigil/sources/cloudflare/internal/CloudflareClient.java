package dev.vigil.sources.cloudflare.internal;

import dev.vigil.sources.cloudflare.internal.ApiException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET requests to the Cloudflare API v4 for one credential: every request waits for the
 * credential's {@link RatePacer}, answers are read as Cloudflare's envelope ({@code success},
 * {@code errors}, {@code messages}, {@code result}, {@code result_info}), and failures become an
 * {@link ApiException} whose {@link Kind} is the verdict.
 *
 * <p>Retries, so that a rate limit costs time and never a result: a 429 pauses the whole credential
 * for its {@code Retry-After} (5 s when absent) and tries again, for as long as {@code
 * rateLimitBudget} allows in total per request; 5xx answers, timeouts and refused connections are
 * retried up to {@code maxAttempts} in all with exponential backoff (0.5 s doubling, each wait
 * drawn between half and all of it). Every answer's {@code Ratelimit} header ({@code
 * "default";r=REMAINING;t=RESET}) is handed to the pacer so that it slows down before the server
 * has to refuse.
 *
 * <p>Thread-safe; blocks the calling (virtual) thread. The token is sent only in the {@code
 * Authorization} header and appears in no message.
 */
public final class CloudflareClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final int QUOTE = 300;

    /** No listing of this connector's is longer; a server that never ends a listing is cut here. */
    private static final int MAX_PAGES = 100_000;

    private final URI base;
    private final String authorization;
    private final RatePacer pacer;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration rateLimitBudget;
    private final HttpClient http;

    public CloudflareClient(
            URI base,
            String token,
            RatePacer pacer,
            Duration timeout,
            int maxAttempts,
            Duration rateLimitBudget) {
        EgressGuard.check(base, "Cloudflare API URL");
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.authorization = "Bearer " + token;
        this.pacer = pacer;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.rateLimitBudget = rateLimitBudget;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** One page of a listing, or a single object, with the envelope's paging information. */
    public record Answer(JsonNode result, JsonNode resultInfo) {}

    /** The {@code result} of a GET of {@code path} (relative to the base, starting with '/'). */
    public JsonNode get(String path) {
        return get(path, Map.of()).result();
    }

    /** The envelope's {@code result} and {@code result_info} of a GET with these parameters. */
    public Answer get(String path, Map<String, String> query) {
        URI uri = URI.create(base + path + queryString(query));
        long rateLimitedNanos = 0;
        int attempt = 0;
        while (true) {
            attempt++;
            HttpResponse<byte[]> response;
            try {
                pacer.acquire();
                response = http.send(request(uri), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(
                        Kind.UNAVAILABLE, 0, List.of(), "GET " + path + ": interrupted", e);
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new ApiException(
                            Kind.UNAVAILABLE,
                            0,
                            List.of(),
                            "GET " + path + ": " + e + " (after " + attempt + " attempts)",
                            e);
                }
                backOff(attempt, path);
                continue;
            }
            observeQuota(response);
            int status = response.statusCode();
            if (status == 429) {
                Duration wait = retryAfter(response);
                rateLimitedNanos += wait.toNanos();
                if (rateLimitedNanos > rateLimitBudget.toNanos()) {
                    throw failure(
                            Kind.UNAVAILABLE,
                            path,
                            response,
                            "rate limited for longer than " + rateLimitBudget.toSeconds() + " s");
                }
                pacer.pauseFor(wait);
                attempt--; // a 429 is the server pacing us, not a failed attempt
                continue;
            }
            if (status >= 500 || status == 408) {
                if (attempt >= maxAttempts) {
                    throw failure(
                            Kind.UNAVAILABLE, path, response, "after " + attempt + " attempts");
                }
                backOff(attempt, path);
                continue;
            }
            return read(path, response);
        }
    }

    /**
     * Every element of a page/per_page listing. Pages are fetched until the elements reach {@code
     * result_info.total_count} when the answer has it, else until a page comes back shorter than
     * its {@code per_page} (the server may cap what was asked), and always until an empty page;
     * {@code total_pages} alone is never trusted (it may be absent, and a listing may end on an
     * empty page).
     */
    public List<JsonNode> pages(String path, Map<String, String> query, int perPage) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            Map<String, String> q = new java.util.LinkedHashMap<>(query);
            q.put("page", Integer.toString(page));
            q.put("per_page", Integer.toString(perPage));
            Answer a = get(path, q);
            int n = addAll(path, a.result(), all);
            JsonNode total = a.resultInfo().path("total_count");
            // the server may cap per_page below what was asked: a page is short against its size
            JsonNode size = a.resultInfo().path("per_page");
            int pageSize = size.isNumber() && size.asInt() > 0 ? size.asInt() : perPage;
            boolean last = total.isNumber() ? all.size() >= total.asLong() : n < pageSize;
            if (n == 0 || last) {
                return all;
            }
        }
        throw new ApiException(
                Kind.INVALID,
                200,
                List.of(),
                "GET " + path + ": more than " + MAX_PAGES + " pages",
                null);
    }

    /**
     * Every element of a cursor listing: the next request carries {@code cursor} from the previous
     * answer's {@code result_info.cursor} until that is absent or empty.
     */
    public List<JsonNode> cursorPages(String path, int perPage) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 1; page <= MAX_PAGES; page++) {
            Map<String, String> q = new java.util.LinkedHashMap<>();
            q.put("per_page", Integer.toString(perPage));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            Answer a = get(path, q);
            int n = addAll(path, a.result(), all);
            JsonNode next = a.resultInfo().path("cursor");
            if (n == 0 || !next.isString() || next.asString().isEmpty()) {
                return all;
            }
            cursor = next.asString();
        }
        throw new ApiException(
                Kind.INVALID,
                200,
                List.of(),
                "GET " + path + ": more than " + MAX_PAGES + " pages",
                null);
    }

    private static int addAll(String path, JsonNode result, List<JsonNode> into) {
        if (!result.isArray()) {
            throw new ApiException(
                    Kind.INVALID, 200, List.of(), "GET " + path + ": result is not a list", null);
        }
        for (JsonNode e : result) {
            into.add(e);
        }
        return result.size();
    }

    private HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("User-Agent", "vigil-cloudflare-connector")
                .GET()
                .build();
    }

    private Answer read(String path, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw failure(
                    status == 200 ? Kind.INVALID : kindOf(status, List.of()),
                    path,
                    response,
                    "body is not JSON");
        }
        List<Integer> codes = new ArrayList<>();
        for (JsonNode err : body.path("errors")) {
            if (err.path("code").isNumber()) {
                codes.add(err.path("code").asInt());
            }
        }
        boolean success = body.path("success").asBoolean(false);
        if (status / 100 == 2 && success && body.has("result")) {
            return new Answer(body.get("result"), body.path("result_info"));
        }
        throw failure(kindOf(status, codes), path, response, messages(body));
    }

    /**
     * 403, and Cloudflare's "Authentication error" (10000) on any status, deny permission for one
     * endpoint; 401 and the invalid-token codes refuse the credential.
     */
    private static Kind kindOf(int status, List<Integer> codes) {
        if (status == 401 || codes.contains(9109) || codes.contains(6003) || codes.contains(6111)) {
            return Kind.AUTHENTICATION;
        }
        if (status == 403 || codes.contains(10000)) {
            return Kind.PERMISSION;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        if (status >= 500) {
            return Kind.UNAVAILABLE;
        }
        return Kind.INVALID;
    }

    private static String messages(JsonNode body) {
        List<String> out = new ArrayList<>();
        for (JsonNode err : body.path("errors")) {
            out.add(err.path("code").asString("") + " " + err.path("message").asString(""));
        }
        return out.isEmpty() ? "no result" : String.join("; ", out).strip();
    }

    private static ApiException failure(
            Kind kind, String path, HttpResponse<byte[]> response, String detail) {
        List<Integer> codes = new ArrayList<>();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        try {
            for (JsonNode err : JSON.readTree(body).path("errors")) {
                if (err.path("code").isNumber()) {
                    codes.add(err.path("code").asInt());
                }
            }
        } catch (RuntimeException notJson) {
            // an edge's HTML error page: quoted below as it is
        }
        String quote = body.length() > QUOTE ? body.substring(0, QUOTE) + "…" : body;
        return new ApiException(
                kind,
                response.statusCode(),
                codes,
                "GET "
                        + path
                        + " answered "
                        + response.statusCode()
                        + ": "
                        + detail
                        + (codes.isEmpty() && !quote.isBlank() ? " (" + quote.strip() + ")" : ""),
                null);
    }

    private void observeQuota(HttpResponse<byte[]> response) {
        response.headers()
                .firstValue("Ratelimit")
                .ifPresent(
                        h -> {
                            long r = param(h, "r");
                            long t = param(h, "t");
                            if (r >= 0 && t >= 0) {
                                pacer.observe(r, t);
                            }
                        });
    }

    /** The integer value of {@code ;name=} in a structured header, or -1. */
    static long param(String header, String name) {
        int from = 0;
        while (from <= header.length()) {
            int end = header.length();
            for (int i = from; i < header.length(); i++) {
                char c = header.charAt(i);
                if (c == ';' || c == ',') {
                    end = i;
                    break;
                }
            }
            String p = header.substring(from, end).strip();
            if (p.startsWith(name + "=")) {
                try {
                    return Long.parseLong(p.substring(name.length() + 1).strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            from = end + 1;
        }
        return -1;
    }

    /** {@code Retry-After} in seconds or as an HTTP date; 5 s when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        String v = response.headers().firstValue("Retry-After").orElse("").strip();
        if (v.isEmpty()) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at =
                        java.time.ZonedDateTime.parse(
                                v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    private static void backOff(int attempt, String path) {
        long cap = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 6);
        long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            TimeUnit.MILLISECONDS.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(
                    Kind.UNAVAILABLE, 0, List.of(), "GET " + path + ": interrupted in backoff", e);
        }
    }

    /** Closes the HTTP client's connections; fetches in flight finish first. */
    @Override
    public void close() {
        http.close();
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append(sb.isEmpty() ? '?' : '&')
                    .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
