package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.LaneClassifier;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InventoryApiIT {
    static ApiHarness api;
    static ApiServer withScans;
    static final List<ScanRequest> published = new CopyOnWriteArrayList<>();
    static String admin;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        admin = api.tokens.issueAdmin("inventory-admin");
        withScans =
                Wiring.api(
                        ApiServer.Options.of(
                                        ApiSettings.defaults().withPort(0), api.pg.dataSource())
                                .withInventory(
                                        new InventorySettings(
                                                PlanIntervals.defaults(),
                                                published::addAll,
                                                new LaneClassifier(5_000, Duration.ofSeconds(2)),
                                                3),
                                        Inventory.create(
                                                api.pg.dataSource(),
                                                PlanIntervals.defaults(),
                                                Clock.systemUTC(),
                                                new Random(1))),
                        null);
    }

    @AfterAll
    static void stop() throws Exception {
        withScans.close();
        api.close();
    }

    static HttpResponse<String> send(ApiServer server, String method, String path, String token)
            throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve(path))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void anAdminAddsChangesAndDeletesTargetsAndDeletingResolvesTheirInsightsWithAudit()
            throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> added =
                api.send(
                        "POST",
                        "v1/accounts",
                        admin,
                        "{\"account_id\": \"inv-a\", \"name\": \"Acme\", \"plan\": \"free\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode account = ApiHarness.JSON.readTree(added.body()).get("result");
        Instant due = Instant.parse(account.get("next_due_at").asString());
        assertThat(due).isBetween(before, before.plus(Duration.ofDays(7)));

        assertThat(
                        api.send(
                                        "POST",
                                        "v1/accounts",
                                        admin,
                                        "{\"account_id\": \"inv-a\", \"name\": \"x\", \"plan\": \"pro\"}")
                                .statusCode())
                .isEqualTo(409);
        HttpResponse<String> orphan =
                api.send(
                        "POST",
                        "v1/zones",
                        admin,
                        "{\"zone_id\": \"inv-z0\", \"account_id\": \"nosuch\", \"name\": \"z\","
                                + " \"plan\": \"pro\"}");
        assertThat(orphan.statusCode()).isEqualTo(400);
        assertThat(orphan.body()).contains("\"field\":\"account_id\"");
        for (String z : List.of("inv-z1", "inv-z2")) {
            assertThat(
                            api.send(
                                            "POST",
                                            "v1/zones",
                                            admin,
                                            "{\"zone_id\": \""
                                                    + z
                                                    + "\", \"account_id\": \"inv-a\", \"name\": \""
                                                    + z
                                                    + ".example\", \"plan\": \"pro\"}")
                                    .statusCode())
                    .isEqualTo(201);
        }
        String zoneDue = nextDue("inv-z1");
        JsonNode changed =
                api.call("PUT", "v1/zones/inv-z1", admin, "{\"plan\": \"enterprise\"}")
                        .get("result");
        assertThat(changed.get("plan").asString()).isEqualTo("enterprise");
        assertThat(changed.get("name").asString()).isEqualTo("inv-z1.example");
        String dueAfter = nextDue("inv-z1");
        assertThat(dueAfter).as("a change keeps the schedule").isEqualTo(zoneDue);

        String user = api.tokens.issueForAccounts("inv-user", List.of("inv-a"));
        assertThat(api.send("DELETE", "v1/zones/inv-z1", user, null).statusCode())
                .as("managing the inventory is for admin tokens")
                .isEqualTo(403);

        api.submit(
                zoneResult(
                        "inv-a",
                        "inv-z1",
                        Instant.now(),
                        List.of("c"),
                        List.of(),
                        List.of(finding("c", "r1"), finding("c", "r2"))));
        api.submit(
                zoneResult(
                        "inv-a",
                        "inv-z2",
                        Instant.now(),
                        List.of("c"),
                        List.of(),
                        List.of(finding("c", "r3"))));
        assertThat(
                        api.count(
                                "select count(*) from insights where account_id = 'inv-a' and status = 'open'"))
                .isEqualTo(3);

        assertThat(api.send("DELETE", "v1/zones/inv-z1", admin, null).statusCode()).isEqualTo(204);

        assertThat(
                        api.count(
                                "select count(*) from targets where target_id = 'inv-z1' and deleted_at is not null"))
                .isEqualTo(1);
        assertThat(
                        api.count(
                                "select count(*) from insights where zone_id = 'inv-z1' and status = 'resolved'"))
                .isEqualTo(2);
        assertThat(
                        api.count(
                                "select count(*) from insights where zone_id = 'inv-z2' and status = 'open'"))
                .isEqualTo(1);
        assertThat(
                        api.count(
                                "select count(*) from audit_log where zone_id = 'inv-z1' and action = 'resolved'"
                                        + " and changed_by = 'inventory-admin'"
                                        + " and detail->>'reason' = 'target deleted'"))
                .isEqualTo(2);
        assertThat(api.send("DELETE", "v1/zones/inv-z1", admin, null).statusCode()).isEqualTo(404);
        assertThat(api.send("PUT", "v1/zones/inv-z1", admin, "{\"name\": \"x\"}").statusCode())
                .isEqualTo(404);

        assertThat(api.send("DELETE", "v1/accounts/inv-a", admin, null).statusCode())
                .isEqualTo(204);
        assertThat(
                        api.count(
                                "select count(*) from targets where account_id = 'inv-a' and deleted_at is null"))
                .as("an account takes its zones with it")
                .isZero();
        assertThat(
                        api.count(
                                "select count(*) from insights where account_id = 'inv-a' and status = 'open'"))
                .isZero();
        assertThat(send(withScans, "POST", "v1/accounts/inv-a/scan", user).statusCode())
                .as("a deleted account has nothing to scan")
                .isEqualTo(404);
    }

    static String nextDue(String target) {
        return api.jdbi.withHandle(
                h ->
                        h.createQuery("select next_due_at::text from targets where target_id = :t")
                                .bind("t", target)
                                .mapTo(String.class)
                                .one());
    }

    @Test
    void onDemandScansArePublishedAtOnceInTheirLaneAndLimitedPerAccount() throws Exception {
        api.pg.accountTarget("od-a");
        api.pg.zoneTarget("od-a", "od-z1");
        api.pg.zoneTarget("od-a", "od-z2");
        api.pg.execute("update targets set asset_count = 10000 where target_id = 'od-z2'");
        api.pg.accountTarget("od-b");
        String writer = api.tokens.issueForAccounts("od-writer", List.of("od-a"));
        String reader = api.tokens.issueForAccounts("od-reader", List.of("od-a"), false);

        HttpResponse<String> account = send(withScans, "POST", "v1/accounts/od-a/scan", writer);
        assertThat(account.statusCode()).as(account.body()).isEqualTo(202);
        assertThat(ApiHarness.JSON.readTree(account.body()).at("/result/requested").asInt())
                .isEqualTo(3);
        assertThat(published)
                .extracting(ScanRequest::targetId)
                .containsExactlyInAnyOrder("od-a", "od-z1", "od-z2");
        assertThat(published).allMatch(r -> r.reason() == ScanReason.ON_DEMAND);
        assertThat(published)
                .filteredOn(r -> r.targetId().equals("od-z2"))
                .extracting(ScanRequest::lane)
                .containsExactly(Lane.SLOW);

        published.clear();
        HttpResponse<String> zone = send(withScans, "POST", "v1/zones/od-z1/scan", writer);
        assertThat(zone.statusCode()).isEqualTo(202);
        assertThat(published).extracting(ScanRequest::targetId).containsExactly("od-z1");

        assertThat(send(withScans, "POST", "v1/zones/od-z1/scan", reader).statusCode())
                .as("a read token may not request scans")
                .isEqualTo(403);
        assertThat(send(withScans, "POST", "v1/accounts/od-b/scan", writer).statusCode())
                .isEqualTo(403);

        assertThat(send(withScans, "POST", "v1/zones/od-z2/scan", writer).statusCode())
                .isEqualTo(202);
        HttpResponse<String> limited = send(withScans, "POST", "v1/zones/od-z2/scan", writer);
        assertThat(limited.statusCode()).as("3 a minute").isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/problem+json");

        HttpResponse<String> noKafka = api.send("POST", "v1/zones/od-z1/scan", writer, null);
        assertThat(noKafka.statusCode()).isEqualTo(503);
        assertThat(noKafka.body()).contains("VIGIL_KAFKA_BOOTSTRAP");
    }

    @Test
    void aTargetNeverScannedHasNoDurationToBeJudgedSlowBy() throws Exception {
        api.pg.accountTarget("od-c");
        api.pg.zoneTarget("od-c", "od-c-new");
        api.pg.zoneTarget("od-c", "od-c-measured");
        api.pg.execute("update targets set scan_duration_ms = 1 where target_id = 'od-c-measured'");
        String writer = api.tokens.issueForAccounts("od-c-writer", List.of("od-c"));
        List<ScanRequest> sent = new CopyOnWriteArrayList<>();
        // Every measured duration is slow; an unmeasured one (null) is no measurement at all.
        try (ApiServer anyDurationIsSlow =
                Wiring.api(
                        ApiServer.Options.of(
                                        ApiSettings.defaults().withPort(0), api.pg.dataSource())
                                .withInventory(
                                        new InventorySettings(
                                                PlanIntervals.defaults(),
                                                sent::addAll,
                                                new LaneClassifier(5_000, Duration.ZERO),
                                                3),
                                        Inventory.create(
                                                api.pg.dataSource(),
                                                PlanIntervals.defaults(),
                                                Clock.systemUTC(),
                                                new Random(1))),
                        null)) {
            HttpResponse<String> scans =
                    send(anyDurationIsSlow, "POST", "v1/accounts/od-c/scan", writer);
            assertThat(scans.statusCode()).as(scans.body()).isEqualTo(202);
        }
        assertThat(sent)
                .filteredOn(r -> r.targetId().equals("od-c-new"))
                .extracting(ScanRequest::lane)
                .as("a never-scanned target, its asset count known")
                .containsExactly(Lane.FAST);
        assertThat(sent)
                .filteredOn(r -> r.targetId().equals("od-c-measured"))
                .extracting(ScanRequest::lane)
                .containsExactly(Lane.SLOW);
    }
}
