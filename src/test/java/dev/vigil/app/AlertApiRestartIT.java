package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.checks.Severity;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.results.ResultFixtures;
import dev.vigil.results.ResultsClient;
import dev.vigil.testing.AlertReceiver;
import dev.vigil.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * At least once across a crash: the production api role ({@code vigil api}) in a child JVM opens an
 * insight from a worker's result, and its dispatcher sends the alert to a receiver that holds the
 * request open; the role is killed (SIGKILL) before the answer, so the message was committed but
 * never marked sent. A new api process on the same database takes it over once the lease expires
 * and sends it again, under the same {@code webhook-id}. The database stays in this JVM.
 */
class AlertApiRestartIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ACCOUNT = "acc-1";
    static final String ZONE = "zone-1";

    @TempDir Path logs;

    @Test
    void aMessageTheKilledApiRoleWasSendingIsSentAgainAfterTheLeaseWithTheSameWebhookId()
            throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                AlertReceiver receiver = AlertReceiver.start("127.0.0.1", List.of());
                HttpClient http = HttpClient.newHttpClient()) {
            Migrations.apply(pg.dataSource());
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "insert into targets (target_id, kind, account_id, zone_id,"
                                            + " name, plan, next_due_at) values (?, 'zone', ?, ?,"
                                            + " 'zone-1.example', 'free', now())",
                                    ZONE,
                                    ACCOUNT,
                                    ZONE));
            ApiTokens tokens = ApiTokens.create(pg.dataSource());
            String token = tokens.issueForAccounts("ops", List.of(ACCOUNT));
            String service = tokens.issueService("worker");
            int port = RoleProcess.freePort();
            URI api = URI.create("http://127.0.0.1:" + port + "/");
            RoleProcess role =
                    new RoleProcess(
                            "api",
                            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                            List.of("api"),
                            environment(pg, port),
                            RoleProcess.freePort(),
                            logs);
            try {
                startAndAwaitReady(role, http);
                receiver.script(AlertReceiver.Reply.holding());
                JsonNode hook =
                        post(
                                http,
                                api,
                                token,
                                "destinations",
                                "{\"name\": \"hook\", \"kind\": \"webhook\", \"url\": \""
                                        + receiver.url("/vigil")
                                        + "\"}");
                receiver.verifyingWith(hook.get("secret").asString());
                long rule =
                        post(
                                        http,
                                        api,
                                        token,
                                        "rules",
                                        "{\"name\": \"ssl-off\", \"destination_id\": "
                                                + hook.get("id").asLong()
                                                + ", \"filters\": {\"check_id\":"
                                                + " [\"tls.ssl_off\"]}}")
                                .get("id")
                                .asLong();
                try (ResultsClient results =
                        ResultsClient.create(api, service, Duration.ofSeconds(30))) {
                    results.submit(
                            ResultFixtures.zoneResult(
                                    ACCOUNT,
                                    ZONE,
                                    Instant.now(),
                                    List.of("tls.ssl_off"),
                                    List.of(),
                                    List.of(
                                            ResultFixtures.finding(
                                                    "tls.ssl_off",
                                                    "settings",
                                                    Severity.CRITICAL))));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);

                role.kill();

                assertThat(count(jdbi, "status = 'pending' and delivered_at is null")).isEqualTo(1);
                startAndAwaitReady(role, http);
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 2);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> count(jdbi, "status = 'delivered'") == 1);

                List<AlertReceiver.Received> got = receiver.received();
                assertThat(got).hasSize(2);
                assertThat(got).allSatisfy(r -> assertThat(r.verifiedBy()).containsExactly(true));
                String webhookId = got.getFirst().header("webhook-id");
                assertThat(got.get(1).header("webhook-id")).isEqualTo(webhookId);
                JsonNode log = get(http, api, token, "rules/" + rule + "/deliveries");
                assertThat(log).hasSize(1);
                assertThat(log.get(0).get("id").asString()).isEqualTo(webhookId);
                assertThat(log.get(0).get("status").asString()).isEqualTo("delivered");
            } finally {
                role.stop(Duration.ofSeconds(20));
            }
        }
    }

    /** The api role's settings: this database, a fixed sealing key, short alert intervals. */
    private static Map<String, String> environment(EmbeddedPostgres pg, int port) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.ofEntries(
                Map.entry("VIGIL_DATABASE_URL", pg.jdbcUrl()),
                Map.entry("VIGIL_DATABASE_USER", pg.user()),
                Map.entry("VIGIL_DATABASE_PASSWORD", pg.password()),
                Map.entry("VIGIL_DATABASE_POOL_SIZE", "4"),
                Map.entry("VIGIL_API_PORT", Integer.toString(port)),
                Map.entry("VIGIL_ALERT_SECRET_KEY", Base64.getEncoder().encodeToString(key)),
                Map.entry("VIGIL_ALERT_ALLOWED_HOSTS", "127.0.0.1"),
                Map.entry("VIGIL_ALERT_POLL", "50ms"),
                Map.entry("VIGIL_ALERT_LEASE", "3s"),
                // longer than the held request lives: the first attempt must not time out
                Map.entry("VIGIL_ALERT_SEND_TIMEOUT", "60s"));
    }

    private static void startAndAwaitReady(RoleProcess role, HttpClient http)
            throws InterruptedException {
        role.start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(role.isAlive())
                                    .as("the api role is running (see its log)")
                                    .isTrue();
                            return role.ready(http);
                        });
    }

    private static long count(Jdbi jdbi, String where) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from alert_messages where " + where)
                                .mapTo(Long.class)
                                .one());
    }

    private static JsonNode post(HttpClient http, URI api, String token, String path, String body)
            throws Exception {
        HttpResponse<String> r = send(http, api, token, "POST", path, body);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("result");
    }

    private static JsonNode get(HttpClient http, URI api, String token, String path)
            throws Exception {
        HttpResponse<String> r = send(http, api, token, "GET", path, null);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("result");
    }

    private static HttpResponse<String> send(
            HttpClient http,
            URI api,
            String token,
            String method,
            String path,
            @Nullable String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(api.resolve("v1/accounts/" + ACCOUNT + "/alerting/" + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
