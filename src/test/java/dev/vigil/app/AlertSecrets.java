package dev.vigil.app;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes one destination of each kind for {@code acc1} through the alerting API, a rule to each and
 * a test message per rule, and waits until each message's first attempt is logged: every one fails
 * (the webhook and Slack hosts are loopback addresses the allow-list refuses, the SMTP server does
 * not answer), so the failures' messages are logged and recorded.
 */
final class AlertSecrets {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AlertSecrets() {}

    /** The secrets made: the webhook's signing secret and the Slack URL's secret path. */
    static List<String> exercise(HttpClient http, URI api, String writer) throws Exception {
        String base = "v1/accounts/acc1/alerting/";
        String slackPath = "slack-secret-" + Long.toHexString(System.nanoTime());
        JsonNode hook =
                post(
                        http,
                        api.resolve(base + "destinations"),
                        writer,
                        "{\"name\": \"hook\", \"kind\": \"webhook\","
                                + " \"url\": \"http://127.0.0.2:9/hook\"}");
        JsonNode slack =
                post(
                        http,
                        api.resolve(base + "destinations"),
                        writer,
                        "{\"name\": \"slack\", \"kind\": \"slack\", \"webhook_url\":"
                                + " \"https://127.0.0.3/services/T000/B000/"
                                + slackPath
                                + "\"}");
        JsonNode mail =
                post(
                        http,
                        api.resolve(base + "destinations"),
                        writer,
                        "{\"name\": \"mail\", \"kind\": \"email\","
                                + " \"recipients\": [\"ops@example.com\"]}");
        List<Long> rules = new ArrayList<>();
        for (JsonNode d : List.of(hook, slack, mail)) {
            long id = d.get("id").asLong();
            JsonNode rule =
                    post(
                            http,
                            api.resolve(base + "rules"),
                            writer,
                            "{\"name\": \"r" + id + "\", \"destination_id\": " + id + "}");
            rules.add(rule.get("id").asLong());
            post(
                    http,
                    api.resolve(base + "rules/" + rule.get("id").asLong() + "/test"),
                    writer,
                    "");
        }
        for (long rule : rules) {
            URI deliveries = api.resolve(base + "rules/" + rule + "/deliveries");
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    get(http, deliveries, writer)
                                                    .path("result")
                                                    .path(0)
                                                    .path("attempts")
                                                    .asInt()
                                            > 0);
        }
        return List.of(hook.get("secret").asString(), slackPath);
    }

    private static JsonNode post(HttpClient http, URI uri, String token, String body)
            throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(
                    "POST " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("result");
    }

    private static JsonNode get(HttpClient http, URI uri, String token) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
