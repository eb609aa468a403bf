package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.SecretBox;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rule routes over HTTP on a real PostgreSQL: the lifecycle, validation naming the field,
 * the test route and the delivery log.
 */
class AlertRulesIT {

    static final String BASE = "v1/accounts/acc1/alerting/";
    static final SecretBox BOX = SecretBox.random();
    static ApiHarness api;
    static String writer;
    static String reader;

    @BeforeAll
    static void start() {
        api = ApiHarness.start(o -> o.withAlertSecrets(BOX));
        api.pg.accountTarget("acc1");
        writer = api.tokens.issueForAccounts("alice", List.of("acc1"));
        reader = api.tokens.issueForAccounts("auditor", List.of("acc1"), false);
    }

    @BeforeEach
    void clean() {
        api.pg.execute("delete from alert_destinations");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return api.send("POST", BASE + path, writer, body);
    }

    private static JsonNode created(String path, String body) throws Exception {
        return AlertFixtures.created(api, writer, BASE + path, body);
    }

    private static String problemField(HttpResponse<String> r) {
        return AlertFixtures.problemField(r);
    }

    static long webhook(String name) throws Exception {
        return created(
                        "destinations",
                        "{\"name\": \""
                                + name
                                + "\", \"kind\": \"webhook\", \"url\":"
                                + " \"https://hooks.example.com/vigil\"}")
                .get("id")
                .asLong();
    }

    @Test
    void ruleIsCreatedListedChangedPausedResumedAndDeleted() throws Exception {
        long dest = webhook("ops");
        JsonNode rule =
                created(
                        "rules",
                        "{\"name\": \"critical\", \"destination_id\": "
                                + dest
                                + ", \"triggers\": [\"reopened\", \"opened\"], \"digest_window\":"
                                + " \"PT5M\", \"filters\": {\"severity\": [\"critical\","
                                + " \"high\"], \"zone_id~neq\": [\"z1\"], \"family\": [\"tls\"]}}");
        long id = rule.get("id").asLong();

        assertThat(rule.get("mode").asString()).isEqualTo("digest");
        assertThat(rule.get("digest_window").asString()).isEqualTo("PT5M");
        assertThat(rule.get("triggers").toString()).isEqualTo("[\"opened\",\"reopened\"]");
        assertThat(rule.get("filters").toString())
                .isEqualTo(
                        "{\"zone_id~neq\":[\"z1\"],\"severity\":[\"critical\",\"high\"],"
                                + "\"family\":[\"tls\"]}");
        assertThat(rule.get("paused").asBoolean()).isFalse();
        assertThat(api.get(BASE + "rules", reader).get("result")).hasSize(1);

        JsonNode changed =
                api.call(
                                "PUT",
                                BASE + "rules/" + id,
                                writer,
                                "{\"name\": \"all\", \"destination_id\": " + dest + "}")
                        .get("result");
        assertThat(changed.get("mode").asString()).isEqualTo("immediate");
        assertThat(changed.get("digest_window").isNull()).isTrue();
        assertThat(changed.get("triggers").toString()).isEqualTo("[\"opened\"]");
        assertThat(changed.get("filters").isEmpty()).isTrue();

        JsonNode paused = api.call("POST", BASE + "rules/" + id + "/pause", writer, null);
        assertThat(paused.get("result").get("paused").asBoolean()).isTrue();
        assertThat(api.count("select count(*) from alert_rules where paused_at is not null"))
                .isEqualTo(1);
        JsonNode resumed = api.call("POST", BASE + "rules/" + id + "/resume", writer, null);
        assertThat(resumed.get("result").get("paused").asBoolean()).isFalse();

        assertThat(api.send("DELETE", BASE + "rules/" + id, writer, null).statusCode())
                .isEqualTo(204);
        assertThat(api.send("GET", BASE + "rules/" + id, reader, null).statusCode()).isEqualTo(404);
    }

    @Test
    void ruleSettingsAreValidatedNamingTheField() throws Exception {
        long dest = webhook("ops");
        String head = "{\"name\": \"r\", \"destination_id\": " + dest;
        record Case(String rest, String field) {}
        List<Case> cases =
                List.of(
                        new Case(
                                ", \"filters\": {\"severity\": [\"urgent\"]}}", "filters.severity"),
                        new Case(
                                ", \"filters\": {\"check_id~neq\": [\"no.such_check\"]}}",
                                "filters.check_id~neq"),
                        new Case(", \"filters\": {\"family\": [\"nosuch\"]}}", "filters.family"),
                        new Case(", \"filters\": {\"colour\": [\"red\"]}}", "filters.colour"),
                        new Case(
                                ", \"filters\": {\"severity\": [\"low\"], \"severity~neq\":"
                                        + " [\"high\"]}}",
                                "filters.severity~neq"),
                        new Case(", \"filters\": {\"zone_id\": []}}", "filters.zone_id"),
                        new Case(", \"digest_window\": \"PT10S\"}", "digest_window"),
                        new Case(", \"digest_window\": \"P2D\"}", "digest_window"),
                        new Case(", \"digest_window\": \"5 minutes\"}", "digest_window"),
                        new Case(
                                ", \"mode\": \"immediate\", \"digest_window\": \"PT5M\"}",
                                "digest_window"),
                        new Case(", \"mode\": \"digest\"}", "digest_window"),
                        new Case(", \"mode\": \"hourly\"}", "mode"),
                        new Case(", \"triggers\": [\"opened\", \"closed\"]}", "triggers[1]"),
                        new Case(", \"triggers\": []}", "triggers"));
        for (Case c : cases) {
            HttpResponse<String> r = post("rules", head + c.rest());

            assertThat(r.statusCode()).as(c.rest() + " -> " + r.body()).isEqualTo(400);
            assertThat(problemField(r)).as(c.rest()).isEqualTo(c.field());
        }
        HttpResponse<String> noDest = post("rules", "{\"name\": \"r\", \"destination_id\": 0}");
        assertThat(noDest.statusCode()).isEqualTo(404);
        assertThat(problemField(noDest)).isEqualTo("destination_id");
        assertThat(api.count("select count(*) from alert_rules")).isZero();
    }

    @Test
    void testRouteQueuesATestMessageForTheRulesDestination() throws Exception {
        long dest = webhook("ops");
        long rule =
                created("rules", "{\"name\": \"r\", \"destination_id\": " + dest + "}")
                        .get("id")
                        .asLong();

        HttpResponse<String> r = post("rules/" + rule + "/test", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String messageId =
                ApiHarness.JSON.readTree(r.body()).get("result").get("message_id").asString();
        assertThat(
                        api.count(
                                "select count(*) from alert_messages where message_id = '"
                                        + messageId
                                        + "' and test and events = 1 and status = 'pending'"
                                        + " and rule_id = "
                                        + rule
                                        + " and destination_id = "
                                        + dest
                                        + " and account_id = 'acc1'"))
                .isEqualTo(1);
        assertThat(post("rules/999999/test", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deliveryLogShowsMessagesWithTheirAttemptsNewestFirstPaged() throws Exception {
        long dest = webhook("ops");
        long rule =
                created("rules", "{\"name\": \"r\", \"destination_id\": " + dest + "}")
                        .get("id")
                        .asLong();
        String insert =
                "insert into alert_messages (message_id, rule_id, account_id, destination_id,"
                        + " events, status, attempts, created_at, delivered_at, last_error)"
                        + " values ('%s', %d, 'acc1', %d, %d, '%s', %d, now() - interval '%d"
                        + " minutes', %s, %s)";
        api.pg.execute(
                insert.formatted(
                        "00000000-0000-0000-0000-000000000001",
                        rule,
                        dest,
                        4,
                        "delivered",
                        2,
                        30,
                        "now() - interval '29 minutes'",
                        "null"),
                insert.formatted(
                        "00000000-0000-0000-0000-000000000002",
                        rule,
                        dest,
                        1,
                        "failed",
                        1,
                        20,
                        "null",
                        "'HTTP 404'"),
                insert.formatted(
                        "00000000-0000-0000-0000-000000000003",
                        rule,
                        dest,
                        2,
                        "pending",
                        0,
                        10,
                        "null",
                        "null"),
                "insert into alert_attempts (message_id, attempt, at, outcome, status_code,"
                        + " latency_ms, error) values"
                        + " ('00000000-0000-0000-0000-000000000001', 1, now() - interval '30"
                        + " minutes', 'retry', 503, 120, 'HTTP 503'),"
                        + " ('00000000-0000-0000-0000-000000000001', 2, now() - interval '29"
                        + " minutes', 'delivered', 200, 80, null),"
                        + " ('00000000-0000-0000-0000-000000000002', 1, now() - interval '20"
                        + " minutes', 'refused', 404, 50, 'HTTP 404')");

        JsonNode first = api.get(BASE + "rules/" + rule + "/deliveries?per_page=2", reader);

        JsonNode page = first.get("result");
        assertThat(page).hasSize(2);
        assertThat(page.get(0).get("id").asString()).endsWith("003");
        assertThat(page.get(0).get("attempt_log")).isEmpty();
        assertThat(page.get(1).get("id").asString()).endsWith("002");
        assertThat(page.get(1).get("status").asString()).isEqualTo("failed");
        assertThat(page.get(1).get("last_error").asString()).isEqualTo("HTTP 404");
        assertThat(page.get(1).get("attempt_log").get(0).get("status_code").asInt()).isEqualTo(404);
        String cursor = first.get("result_info").get("cursor").asString();

        JsonNode second =
                api.get(BASE + "rules/" + rule + "/deliveries?per_page=2&cursor=" + cursor, reader);

        JsonNode last = second.get("result");
        assertThat(last).hasSize(1);
        assertThat(last.get(0).get("id").asString()).endsWith("001");
        assertThat(last.get(0).get("events").asInt()).isEqualTo(4);
        assertThat(last.get(0).get("delivered_at").isNull()).isFalse();
        JsonNode attempts = last.get(0).get("attempt_log");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("delivered");
        assertThat(attempts.get(1).get("outcome").asString()).isEqualTo("retry");
        assertThat(attempts.get(1).get("latency_ms").asInt()).isEqualTo(120);
        assertThat(second.get("result_info").get("cursor").isNull()).isTrue();
    }

    @Test
    void readOnlyTokenReadsButCannotChange() throws Exception {
        long dest = webhook("ops");

        assertThat(
                        api.get(BASE + "destinations/" + dest, reader)
                                .get("result")
                                .get("name")
                                .asString())
                .isEqualTo("ops");
        HttpResponse<String> r =
                api.send(
                        "POST",
                        BASE + "rules",
                        reader,
                        "{\"name\": \"r\", \"destination_id\": " + dest + "}");
        assertThat(r.statusCode()).isEqualTo(403);
    }
}
