package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.api.PushAdmission;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Topics;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.ChangeWorker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch push route ({@code POST /v1/config:batch}) and the backlog gate of both push routes,
 * against a real API, PostgreSQL and Kafka: every line is answered on its own, the valid ones are
 * stored and announced once each on the config-change topic, another account's target is refused on
 * its line, a batch over the bounds is refused whole, and while the change workers' real lag is
 * over its bound both routes answer 429 with Retry-After.
 */
class ConfigBatchPushIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Topics TOPICS = new Topics("batchit");

    static TestPostgres pg;
    static EmbeddedKafka kafka;
    static KafkaProducer<String, byte[]> producer;
    static ApiServer server;
    static Jdbi jdbi;
    static HttpClient http;
    static String token;
    static String otherToken;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
        pg.accountTarget("acc1");
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc1", "zone2");
        pg.zoneTarget("acc2", "zoneX");
        kafka = EmbeddedKafka.start();
        kafka.createTopic(TOPICS.configChanges(), 3);
        producer = KafkaClients.producer(kafka.bootstrapServers(), "batch-it");
        server = api(PushAdmission.open());
        http = HttpClient.newHttpClient();
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        token = tokens.issueForAccounts("pusher", List.of("acc1"));
        otherToken = tokens.issueForAccounts("other", List.of("acc2"));
    }

    static ApiServer api(PushAdmission admission) {
        return Wiring.api(
                ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                        .withPushAdmission(admission),
                new Wiring.Kafka(kafka.bootstrapServers(), TOPICS, producer));
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        producer.close();
        kafka.close();
        pg.close();
    }

    @BeforeEach
    void reset() {
        jdbi.useHandle(h -> h.execute("delete from config_snapshots"));
    }

    @Test
    void everyLineIsAnsweredAndEachValidOneIsStoredAndAnnouncedOnce() throws Exception {
        List<String> before = events();
        String body =
                String.join(
                                "\n",
                                "{\"target_id\": \"zone1\", \"document\": {\"dns\": {\"records\": []}}}",
                                "{\"target_id\": \"zone1\", \"document\": {\"dns\": ",
                                "{\"target_id\": \"zone2\", \"version\": 5, \"document\": {\"tls\": 1}}",
                                "{\"target_id\": \"zone2\", \"version\": 3, \"document\": {\"tls\": 2}}",
                                "",
                                "{\"target_id\": \"zone1\", \"document\": {\"dns\": {\"records\": [1]}}}",
                                "{\"target_id\": \"acc1\", \"changed_sections\": [\"members\"],"
                                        + " \"document\": {\"members\": []}}",
                                "{\"target_id\": \"nope\", \"document\": {}}",
                                "{\"target_id\": \"zone1\"}",
                                "{\"target_id\": \"zone1\", \"document\": {\"dns\": {\"records\": [1]}}}")
                        + "\n";

        HttpResponse<String> res = batch(token, body);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> replies = replies(res);
        assertThat(replies)
                .extracting(r -> r.get("line").asInt())
                .containsExactly(1, 2, 3, 4, 6, 7, 8, 9, 10);
        assertThat(replies)
                .extracting(r -> r.get("status").asString())
                .containsExactly(
                        "accepted",
                        "refused",
                        "accepted",
                        "refused",
                        "accepted",
                        "accepted",
                        "refused",
                        "refused",
                        "unchanged");
        assertThat(replies.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(replies.get(1).get("problem").get("status").asInt()).isEqualTo(400);
        assertThat(replies.get(1).get("problem").get("detail").asString())
                .startsWith("line 2 of the batch is refused at line 1, column");
        assertThat(replies.get(2).get("version").asLong()).isEqualTo(5);
        assertThat(replies.get(3).get("problem").get("status").asInt()).isEqualTo(409);
        assertThat(replies.get(3).get("problem").get("detail").asString())
                .isEqualTo(
                        "line 4: version 3 is not newer than the stored version 5 of target"
                                + " 'zone2'; the push is ignored");
        assertThat(replies.get(4).get("version").asLong()).isEqualTo(2);
        assertThat(replies.get(4).get("changed_sections").toString()).isEqualTo("[\"dns\"]");
        assertThat(replies.get(5).get("target_id").asString()).isEqualTo("acc1");
        assertThat(replies.get(6).get("problem").get("status").asInt()).isEqualTo(404);
        assertThat(replies.get(7).get("problem").get("field").asString()).isEqualTo("document");
        assertThat(replies.get(8).get("version").asLong()).isEqualTo(2);

        assertThat(stored()).containsExactlyInAnyOrder("acc1@1", "zone1@1", "zone1@2", "zone2@5");
        List<String> announced = new ArrayList<>(events());
        before.forEach(announced::remove);
        assertThat(announced).containsExactlyInAnyOrder("acc1@1", "zone1@1", "zone1@2", "zone2@5");
    }

    @Test
    void aTargetPushedManyTimesInOneBatchGetsItsVersionsInLineOrderAndKeepsTheNewest32()
            throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 34; i++) {
            body.append("{\"target_id\": \"zone1\", \"document\": {\"n\": ")
                    .append(i)
                    .append("}}\n");
        }

        List<JsonNode> replies = replies(batch(token, body.toString()));

        assertThat(replies)
                .extracting(r -> r.get("version").asLong())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 34).boxed().toList());
        assertThat(stored()).hasSize(32).contains("zone1@3", "zone1@34").doesNotContain("zone1@2");
        String newest =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select document::text from config_snapshots"
                                                        + " where target_id = 'zone1' and version"
                                                        + " = 34")
                                        .mapTo(String.class)
                                        .one());
        assertThat(newest).as("the document as sent, written compact").isEqualTo("{\"n\":34}");
    }

    @Test
    void aBatchOfSeveralChunksIsAnsweredLineByLineWithRefusalsAtTheirBoundaries() throws Exception {
        // the route reads and stores 200 lines at a time; refusals sit on both sides of the first
        // boundary and a third chunk is partly full
        long eventsBefore = eventCount();
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 450; i++) {
            body.append(
                    switch (i) {
                        case 200 -> "{\"target_id\": \"zone1\", \"document\": {\"n\": ";
                        case 201 -> "{\"target_id\": \"nope\", \"document\": {}}";
                        case 401 -> "{\"target_id\": \"zone2\"}";
                        default ->
                                "{\"target_id\": \"zone"
                                        + (i % 2 + 1)
                                        + "\", \"document\": {\"n\": "
                                        + i
                                        + "}}";
                    });
            body.append('\n');
        }

        List<JsonNode> replies = replies(batch(token, body.toString()));

        assertThat(replies)
                .extracting(r -> r.get("line").asInt())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 450).boxed().toList());
        assertThat(replies.get(199).get("problem").get("status").asInt()).isEqualTo(400);
        assertThat(replies.get(200).get("problem").get("status").asInt()).isEqualTo(404);
        assertThat(replies.get(400).get("problem").get("field").asString()).isEqualTo("document");
        List<JsonNode> accepted =
                replies.stream()
                        .filter(r -> r.get("status").asString().equals("accepted"))
                        .toList();
        assertThat(accepted).hasSize(447);
        // zone1 is on the even lines but 200, zone2 on the odd ones but 201 and 401
        for (Map.Entry<String, Integer> zone : Map.of("zone1", 224, "zone2", 223).entrySet()) {
            assertThat(
                            accepted.stream()
                                    .filter(
                                            r ->
                                                    r.get("target_id")
                                                            .asString()
                                                            .equals(zone.getKey()))
                                    .map(r -> r.get("version").asLong())
                                    .toList())
                    .as("%s's versions follow its lines across the chunks", zone.getKey())
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(1, zone.getValue())
                                    .boxed()
                                    .toList());
        }
        assertThat(stored()).hasSize(64).contains("zone1@224", "zone2@223");
        await().atMost(Duration.ofSeconds(30)).until(() -> eventCount() - eventsBefore == 447);
    }

    @Test
    void anotherAccountsTargetIsRefusedOnItsLineAndTheOthersAreStored() throws Exception {
        String body =
                "{\"target_id\": \"zone1\", \"document\": {\"a\": 1}}\n"
                        + "{\"target_id\": \"zoneX\", \"document\": {\"a\": 1}}\n";

        List<JsonNode> mine = replies(batch(token, body));
        List<JsonNode> theirs = replies(batch(otherToken, body));

        assertThat(mine)
                .extracting(r -> r.get("status").asString())
                .containsExactly("accepted", "refused");
        assertThat(mine.get(1).get("problem").get("detail").asString())
                .isEqualTo("line 2: no target 'zoneX' visible to token 'pusher'");
        assertThat(theirs)
                .extracting(r -> r.get("status").asString())
                .containsExactly("refused", "accepted");
        assertThat(theirs.get(0).get("problem").get("status").asInt()).isEqualTo(404);
        assertThat(stored()).containsExactlyInAnyOrder("zone1@1", "zoneX@1");
    }

    @Test
    void aBatchOverTheLineBoundIsRefusedWholeWith413() throws Exception {
        String line = "{\"target_id\": \"zone1\", \"document\": {\"a\": 1}}\n";

        HttpResponse<String> res = batch(token, line.repeat(10_001));

        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(res.body()).get("detail").asString())
                .isEqualTo(
                        "the batch has more than 10000 lines; the most accepted is 10000 lines"
                                + " and 33554432 bytes: split it into several calls");
        assertThat(stored()).isEmpty();
    }

    @Test
    void aBodyThatIsNotNdjsonIsRefusedWith415() throws Exception {
        HttpResponse<String> res =
                http.send(
                        HttpRequest.newBuilder(server.baseUrl().resolve("v1/config:batch"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(415);
        assertThat(res.body()).contains("Content-Type: application/x-ndjson");
    }

    @Test
    void pushesAnswer429WithRetryAfterWhileTheChangeBacklogIsOverItsBound() throws Exception {
        // nobody consumes the topic here: every event announced so far is backlog of the group
        replies(batch(token, "{\"target_id\": \"zone2\", \"document\": {\"b\": 1}}\n"));
        replies(batch(token, "{\"target_id\": \"zone2\", \"document\": {\"b\": 2}}\n"));
        try (ChangeBacklogGate gate =
                        ChangeBacklogGate.start(
                                kafka.bootstrapServers(),
                                TOPICS.configChanges(),
                                ChangeWorker.GROUP,
                                1);
                ApiServer gated = api(gate)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> gate.backlog() > 1);

            HttpResponse<String> single =
                    http.send(
                            HttpRequest.newBuilder(gated.baseUrl().resolve("v1/zones/zone1/config"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"c\": 1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> many =
                    http.send(
                            HttpRequest.newBuilder(gated.baseUrl().resolve("v1/config:batch"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/x-ndjson")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"target_id\": \"zone1\","
                                                            + " \"document\": {\"c\": 1}}\n"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            for (HttpResponse<String> res : List.of(single, many)) {
                assertThat(res.statusCode()).as(res.body()).isEqualTo(429);
                assertThat(res.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(JSON.readTree(res.body()).get("detail").asString())
                        .startsWith("config pushes are paused: the change workers are ")
                        .contains("over the bound of 1 (VIGIL_CHANGE_BACKLOG_MAX)");
            }
            assertThat(stored()).doesNotContain("zone1@1");
        }
    }

    static HttpResponse<String> batch(String bearer, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("v1/config:batch"))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> replies(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body().lines().map(JSON::readTree).toList();
    }

    static List<String> stored() {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select target_id || '@' || version from config_snapshots")
                                .mapTo(String.class)
                                .list());
    }

    static long eventCount() throws Exception {
        return ConfigChangeTopic.count(kafka, TOPICS.configChanges());
    }

    static List<String> events() throws Exception {
        return ConfigChangeTopic.events(kafka, TOPICS.configChanges());
    }
}
