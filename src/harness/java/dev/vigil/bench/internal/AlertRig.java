package dev.vigil.bench.internal;

import dev.vigil.inventory.Target;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code alerts} benchmark's client of the public API, as an account's owner would use it:
 * creates a webhook destination at the {@link WebhookReceiver} and a rule for opened critical
 * {@value #CHECK} insights ({@code /v1/accounts/{id}/alerting/…}), pushes zone configurations that
 * turn SSL off ({@code POST /v1/zones/{id}/config}), and polls the account's open critical insights
 * ({@code GET /v1/accounts/{id}/insights}) as a user without alerts would. Thread-safe (one shared
 * {@link HttpClient}).
 */
public final class AlertRig implements AutoCloseable {

    /** The critical check every push opens: SSL off (it reads {@code settings.ssl} only). */
    public static final String CHECK = "tls.ssl_off";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The API refused a call: the benchmark's run is broken. */
    public static final class CallFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailedException(String message, Throwable cause) {
            super(message, cause);
        }

        CallFailedException(String message) {
            super(message);
        }
    }

    /**
     * One poll of an account's open critical insights, every page.
     *
     * @param insights how many it listed
     * @param pages the requests it took
     */
    public record Poll(long nanos, long insights, int pages) {}

    private final HttpClient http;
    private final URI api;
    private final String token;
    private final Map<String, byte[]> documents;

    /**
     * @param accountToken a write token of every account used
     * @param documents each zone's generated configuration, pushed with SSL turned off
     */
    public AlertRig(URI api, String accountToken, Map<String, byte[]> documents) {
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        this.api = api;
        this.token = accountToken;
        this.documents = documents;
    }

    /**
     * Creates {@code account}'s webhook destination at {@code url} and its rule (opened, immediate,
     * critical {@value #CHECK}); returns the destination's secret, answered this once.
     */
    public String subscribe(String account, URI url) {
        String base = "/v1/accounts/" + account + "/alerting/";
        ObjectNode dest = JSON.createObjectNode();
        dest.put("name", "bench receiver");
        dest.put("kind", "webhook");
        dest.put("url", url.toString());
        JsonNode created = send("POST", base + "destinations", dest, 201).path("result");
        ObjectNode rule = JSON.createObjectNode();
        rule.put("name", "critical SSL off");
        rule.put("destination_id", created.path("id").asLong());
        rule.putArray("triggers").add("opened");
        rule.put("mode", "immediate");
        ObjectNode filters = rule.putObject("filters");
        filters.putArray("severity").add("critical");
        filters.putArray("check_id").add(CHECK);
        send("POST", base + "rules", rule, 201);
        String secret = created.path("secret").asString("");
        if (secret.isEmpty()) {
            throw new CallFailedException(
                    "the webhook destination of account " + account + " came without its secret");
        }
        return secret;
    }

    /**
     * Pushes {@code zone}'s configuration with {@code settings.ssl} set to {@code off}: its first
     * pushed version, so the change worker scans the whole zone and opens {@value #CHECK} with the
     * zone's other findings.
     *
     * @throws CallFailedException unless the API answers 202 (stored and announced)
     */
    public void pushSslOff(Target zone) {
        byte[] raw = documents.get(zone.targetId());
        if (raw == null) {
            throw new IllegalArgumentException("no document for zone " + zone.targetId());
        }
        ObjectNode doc = (ObjectNode) JSON.readTree(raw);
        ObjectNode settings =
                doc.get("settings") instanceof ObjectNode s ? s : doc.putObject("settings");
        settings.put("ssl", "off");
        send("POST", "/v1/zones/" + zone.targetId() + "/config", doc, 202);
    }

    /** Lists every page of {@code account}'s open critical insights, timed. */
    public Poll pollOpenCritical(String account) {
        long t0 = System.nanoTime();
        long listed = 0;
        int pages = 0;
        String cursor = null;
        do {
            String path =
                    "/v1/accounts/"
                            + account
                            + "/insights?status=open&severity=critical&per_page=500"
                            + (cursor == null
                                    ? ""
                                    : "&cursor="
                                            + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = send("GET", path, null, 200);
            listed += page.path("result").size();
            pages++;
            JsonNode next = page.path("result_info").path("cursor");
            cursor = next.isString() && !next.asString().isEmpty() ? next.asString() : null;
        } while (cursor != null && pages < 1_000);
        return new Poll(System.nanoTime() - t0, listed, pages);
    }

    private JsonNode send(
            String method,
            String path,
            @org.jspecify.annotations.Nullable JsonNode body,
            int expect) {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(api.resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30));
        if (body == null) {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            req.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CallFailedException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailedException("interrupted during " + method + " " + path, e);
        }
        if (res.statusCode() != expect) {
            throw new CallFailedException(
                    "the API answered "
                            + res.statusCode()
                            + " (expected "
                            + expect
                            + ") to "
                            + method
                            + " "
                            + path
                            + ": "
                            + res.body());
        }
        return JSON.readTree(res.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
