package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.ChangeHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Event-driven rescans on the whole pipeline: documents pushed to the API become config-change
 * events, and the change workers evaluate only the checks reading the changed sections. The
 * scheduler is stopped after the first full scan, so every insight change below comes through the
 * event path. Each test pushes the history it needs to a zone of its own ({@link #fresh}), so the
 * tests run in any order.
 */
class ConfigChangeIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalPipeline pipeline;

    /** The fleet's zones no test has taken yet. */
    static final java.util.Deque<Target> UNUSED =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    @BeforeAll
    static void start() {
        Env defaults = Env.of(Map.of());
        pipeline =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                3L,
                                2,
                                8,
                                PlanIntervals.uniform(Duration.ofSeconds(2)),
                                0,
                                ConfigService.LatencyModel.none(),
                                null,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)));
        int targets = pipeline.fleet().targets().size();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                count(
                                                "select count(*) from targets where last_result_at is not null")
                                        == targets);
        pipeline.scheduler().close();
        try (LagProbe lag =
                new LagProbe(pipeline.kafkaBootstrap(), pipeline.topics().scanRequests())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    lag.lag(Worker.groupId(Lane.FAST)) == 0
                                            && lag.lag(Worker.groupId(Lane.SLOW)) == 0);
        }
        pipeline.fleet().targets().stream()
                .filter(t -> t.kind() == TargetKind.ZONE)
                .forEach(UNUSED::add);
    }

    /**
     * A zone of this test's own, with {@link ConfigChangeDocuments#baseline} pushed as version 1
     * and evaluated.
     */
    record Zone(Target target, ObjectNode doc) {}

    private static Zone fresh() throws Exception {
        Target t = UNUSED.poll();
        assertThat(t).as("a zone no other test pushed to").isNotNull();
        ObjectNode d = ConfigChangeDocuments.baseline(t);
        assertThat(push(t, d, "", 202).get("version").asLong()).isEqualTo(1);
        awaitScan(t, 1);
        return new Zone(t, d);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void firstPushEvaluatesEveryCheckOnThePushedDocument() throws Exception {
        Target zone = UNUSED.poll();
        assertThat(zone).isNotNull();
        JsonNode answer = push(zone, ConfigChangeDocuments.baseline(zone), "", 202);

        assertThat(answer.get("version").asLong()).isEqualTo(1);
        assertThat(answer.get("changed_sections")).isEmpty();
        awaitScan(zone, 1);
        assertThat(open(zone)).contains("tls.ssl_flexible", "dns.dnssec_disabled");
        assertThat(checksEvaluated(zone, 1)).isGreaterThan(30);
    }

    @Test
    void aChangeFixingOneMisconfigurationAndPlantingAnotherChangesExactlyThoseInsights()
            throws Exception {
        Zone z = fresh();
        Target zone = z.target();
        ObjectNode doc = z.doc();
        Set<String> before = open(zone);
        ((ObjectNode) doc.get("settings")).put("ssl", "strict");
        doc.withArray("dns_records")
                .addObject()
                .put("id", "w1")
                .put("type", "CNAME")
                .put("name", "*." + zone.name())
                .put("content", zone.name())
                .put("proxied", true)
                .put("ttl", 1);

        long began = System.nanoTime();
        JsonNode answer = push(zone, doc, "", 202);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            Set<String> now = open(zone);
                            return !now.contains("tls.ssl_flexible")
                                    && now.contains("dns.wildcard_record");
                        });
        long ms = (System.nanoTime() - began) / 1_000_000;
        System.out.println("config push -> insight change visible in the API: " + ms + " ms");

        assertThat(answer.get("version").asLong()).isEqualTo(2);
        assertThat(answer.get("changed_sections"))
                .extracting(JsonNode::asString)
                .containsExactly("dns_records", "settings");
        Set<String> expected = new TreeSet<>(before);
        expected.remove("tls.ssl_flexible");
        expected.add("dns.wildcard_record");
        assertThat(open(zone)).isEqualTo(expected);
        long affected =
                RuleSets.catalogue()
                        .affectedChecks(TargetKind.ZONE, Set.of("settings", "dns_records"))
                        .size();
        assertThat(checksEvaluated(zone, 2))
                .isEqualTo(affected)
                .isLessThan(checksEvaluated(zone, 1));
    }

    @Test
    void onlyTheChecksReadingTheNamedSectionsRun() throws Exception {
        Zone z = fresh();
        Target zone = z.target();
        ObjectNode doc = z.doc();
        Set<String> before = open(zone);
        assertThat(before).contains("tls.ssl_flexible", "dns.dnssec_disabled");
        doc.putObject("dnssec").put("status", "active");
        // Also changed, but not named: the checks reading settings must not run.
        ((ObjectNode) doc.get("settings")).put("ssl", "strict");

        push(zone, doc, "?changed_sections=dnssec", 202);
        awaitScan(zone, 2);

        Set<String> expected = new TreeSet<>(before);
        expected.remove("dns.dnssec_disabled");
        assertThat(open(zone)).isEqualTo(expected).contains("tls.ssl_flexible");
    }

    @Test
    void anOlderVersionIsIgnoredWhetherPushedOrReplayed() throws Exception {
        Zone z = fresh();
        Target zone = z.target();
        ObjectNode doc = z.doc();
        ((ObjectNode) doc.get("settings")).put("ssl", "strict");
        push(zone, doc, "", 202);
        awaitScan(zone, 2);
        doc.putObject("dnssec").put("status", "active");
        push(zone, doc, "", 202);
        awaitScan(zone, 3);
        Set<String> before = open(zone);
        push(zone, doc, "?version=2", 409);

        // The event of version 1, as published, delivered again after version 3 was applied.
        long handled = pipeline.changeWorker().changes().changes();
        ConfigChangeCodec codec = ConfigChangeCodec.create();
        ConsumerRecord<String, byte[]> v1 = null;
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(pipeline.kafkaBootstrap(), "it-reader", "it-reader", 100)) {
            c.subscribe(List.of(pipeline.topics().configChanges()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (v1 == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (zone.targetId().equals(r.key()) && codec.decode(r.value()).version() == 1) {
                        v1 = r;
                    }
                }
            }
        }
        assertThat(v1).as("the event of version 1 on the topic").isNotNull();
        try (KafkaProducer<String, byte[]> p =
                KafkaClients.producer(pipeline.kafkaBootstrap(), "replay")) {
            p.send(new ProducerRecord<>(v1.topic(), v1.key(), v1.value())).get();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> pipeline.changeWorker().changes().changes() > handled);

        assertThat(open(zone)).isEqualTo(before);
        assertThat(
                        count(
                                "select count(*) from config_snapshots where target_id = '"
                                        + zone.targetId()
                                        + "'"))
                .isEqualTo(3);
    }

    @Test
    void aSectionTheSourceMayNotReadErrorsItsChecksAndKeepsTheirInsights() throws Exception {
        Zone z = fresh();
        Target zone = z.target();
        ObjectNode doc = z.doc();
        Set<String> before = open(zone);
        assertThat(before)
                .as("insights of checks reading dns_records")
                .contains("email.spf_permissive");
        doc.remove("dns_records");
        doc.putObject("_errors").put("dns_records", "403: missing permission DNS Read");

        JsonNode answer = push(zone, doc, "", 202);
        awaitScan(zone, 2);

        assertThat(answer.get("changed_sections"))
                .extracting(JsonNode::asString)
                .containsExactly("dns_records");
        assertThat(open(zone)).isEqualTo(before);
        assertThat(checksErrored(zone, 2)).isPositive();
    }

    @Test
    void anotherTenantCannotPush() throws Exception {
        Target zone =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.kind() == TargetKind.ZONE)
                        .findFirst()
                        .orElseThrow();
        Target foreign =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.kind() == TargetKind.ZONE)
                        .filter(t -> !t.accountId().equals(zone.accountId()))
                        .findFirst()
                        .orElseThrow();
        String token =
                ApiTokens.create(pipeline.database())
                        .issueForAccounts("other", List.of(zone.accountId()));
        String readOnly =
                ApiTokens.create(pipeline.database())
                        .issueForAccounts("reader", List.of(zone.accountId()), false);
        String versions =
                "select count(*) from config_snapshots where target_id in ('"
                        + foreign.targetId()
                        + "', '"
                        + zone.targetId()
                        + "')";
        // other tests may have pushed to these zones with their own token: nothing may be added
        long before = count(versions);

        assertThat(send("v1/zones/" + foreign.targetId() + "/config", token, "{}").statusCode())
                .isEqualTo(404);
        assertThat(send("v1/accounts/" + foreign.accountId() + "/config", token, "{}").statusCode())
                .isEqualTo(403);
        assertThat(send("v1/zones/" + zone.targetId() + "/config", readOnly, "{}").statusCode())
                .isEqualTo(403);
        assertThat(count(versions)).isEqualTo(before);
    }

    @Test
    void anOversizedOrMalformedDocumentIsRefused() throws Exception {
        Target zone =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.kind() == TargetKind.ZONE)
                        .findFirst()
                        .orElseThrow();
        String path = "v1/zones/" + zone.targetId() + "/config";
        String big = "{\"x\":\"" + "a".repeat(17 * 1024 * 1024) + "\"}";
        assertThat(send(path, pipeline.accountToken(), big).statusCode()).isEqualTo(413);
        assertThat(send(path, pipeline.accountToken(), "[1]").statusCode()).isEqualTo(400);
        assertThat(send(path, pipeline.accountToken(), "{").statusCode()).isEqualTo(400);
    }

    private static JsonNode push(Target t, ObjectNode body, String query, int status)
            throws Exception {
        HttpResponse<String> r =
                send(
                        "v1/zones/" + t.targetId() + "/config" + query,
                        pipeline.accountToken(),
                        JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String path, String token, String body)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(pipeline.apiUrl() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        // The API refuses an oversized push from its Content-Length; with
                        // 100-continue the client then never sends the body, instead of racing
                        // the server's close of a connection with 17 MiB unread (a reset).
                        .expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The check ids of the zone's open insights, through the public API. */
    private static Set<String> open(Target t) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                pipeline.apiUrl()
                                                        + "v1/zones/"
                                                        + t.targetId()
                                                        + "/insights?status=open&per_page=500"))
                                .header("Authorization", "Bearer " + pipeline.accountToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> out = new HashSet<>();
        for (JsonNode i : JSON.readTree(r.body()).get("result")) {
            out.add(i.get("issue_class").asString());
        }
        return new TreeSet<>(out);
    }

    private static void awaitScan(Target zone, long version) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> scanColumn(zone, "checks_evaluated", version) >= 0);
    }

    private static long checksEvaluated(Target zone, long version) {
        return scanColumn(zone, "checks_evaluated", version);
    }

    private static long checksErrored(Target zone, long version) {
        return scanColumn(zone, "checks_errored", version);
    }

    private static long scanColumn(Target zone, String column, long version) {
        ConfigChange c = new ConfigChange(zone, version, List.of(), Instant.EPOCH);
        return Jdbi.create(pipeline.database())
                .withHandle(
                        h ->
                                h.createQuery("select " + column + " from scans where scan_id = :s")
                                        .bind("s", ChangeHandler.scanId(c))
                                        .mapTo(Long.class)
                                        .findOne()
                                        .orElse(-1L));
    }

    private static long count(String sql) {
        return Jdbi.create(pipeline.database())
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
