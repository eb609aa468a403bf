package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The alert rule routes over HTTP on a real PostgreSQL: the lifecycle, validation naming the field,
 * the test route and the delivery log.
 */
class AlertRulesIT {

    @RegisterExtension static final AlertingApi alerting = new AlertingApi();

    @Test
    void ruleIsCreatedListedChangedPausedResumedAndDeleted() throws Exception {
        long dest = alerting.webhook("ops");
        JsonNode rule =
                alerting.created(
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
        assertThat(alerting.api().get(AlertingApi.BASE + "rules", alerting.reader()).get("result"))
                .hasSize(1);

        JsonNode changed =
                alerting.api()
                        .call(
                                "PUT",
                                AlertingApi.BASE + "rules/" + id,
                                alerting.writer(),
                                "{\"name\": \"all\", \"destination_id\": " + dest + "}")
                        .get("result");
        assertThat(changed.get("mode").asString()).isEqualTo("immediate");
        assertThat(changed.get("digest_window").isNull()).isTrue();
        assertThat(changed.get("triggers").toString()).isEqualTo("[\"opened\"]");
        assertThat(changed.get("filters").isEmpty()).isTrue();

        JsonNode paused =
                alerting.api()
                        .call(
                                "POST",
                                AlertingApi.BASE + "rules/" + id + "/pause",
                                alerting.writer(),
                                null);
        assertThat(paused.get("result").get("paused").asBoolean()).isTrue();
        assertThat(
                        alerting.api()
                                .count(
                                        "select count(*) from alert_rules where paused_at is not null"))
                .isEqualTo(1);
        JsonNode resumed =
                alerting.api()
                        .call(
                                "POST",
                                AlertingApi.BASE + "rules/" + id + "/resume",
                                alerting.writer(),
                                null);
        assertThat(resumed.get("result").get("paused").asBoolean()).isFalse();

        assertThat(
                        alerting.api()
                                .send(
                                        "DELETE",
                                        AlertingApi.BASE + "rules/" + id,
                                        alerting.writer(),
                                        null)
                                .statusCode())
                .isEqualTo(204);
        assertThat(
                        alerting.api()
                                .send(
                                        "GET",
                                        AlertingApi.BASE + "rules/" + id,
                                        alerting.reader(),
                                        null)
                                .statusCode())
                .isEqualTo(404);
    }

    @Test
    void ruleSettingsAreValidatedNamingTheField() throws Exception {
        long dest = alerting.webhook("ops");
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
            HttpResponse<String> r = alerting.post("rules", head + c.rest());

            assertThat(r.statusCode()).as(c.rest() + " -> " + r.body()).isEqualTo(400);
            assertThat(AlertFixtures.problemField(r)).as(c.rest()).isEqualTo(c.field());
        }
        HttpResponse<String> noDest =
                alerting.post("rules", "{\"name\": \"r\", \"destination_id\": 0}");
        assertThat(noDest.statusCode()).isEqualTo(404);
        assertThat(AlertFixtures.problemField(noDest)).isEqualTo("destination_id");
        assertThat(alerting.api().count("select count(*) from alert_rules")).isZero();
    }

    @Test
    void testRouteQueuesATestMessageForTheRulesDestination() throws Exception {
        long dest = alerting.webhook("ops");
        long rule =
                alerting.created("rules", "{\"name\": \"r\", \"destination_id\": " + dest + "}")
                        .get("id")
                        .asLong();

        HttpResponse<String> r = alerting.post("rules/" + rule + "/test", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String messageId =
                ApiHarness.JSON.readTree(r.body()).get("result").get("message_id").asString();
        assertThat(
                        alerting.api()
                                .count(
                                        "select count(*) from alert_messages where message_id = '"
                                                + messageId
                                                + "' and test and events = 1 and status = 'pending'"
                                                + " and rule_id = "
                                                + rule
                                                + " and destination_id = "
                                                + dest
                                                + " and account_id = 'acc1'"))
                .isEqualTo(1);
        assertThat(alerting.post("rules/999999/test", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deliveryLogShowsMessagesWithTheirAttemptsNewestFirstPaged() throws Exception {
        long dest = alerting.webhook("ops");
        long rule =
                alerting.created("rules", "{\"name\": \"r\", \"destination_id\": " + dest + "}")
                        .get("id")
                        .asLong();
        String insert =
                "insert into alert_messages (message_id, rule_id, account_id, destination_id,"
                        + " events, status, attempts, created_at, delivered_at, last_error)"
                        + " values ('%s', %d, 'acc1', %d, %d, '%s', %d, now() - interval '%d"
                        + " minutes', %s, %s)";
        alerting.api()
                .pg
                .execute(
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

        JsonNode first =
                alerting.api()
                        .get(
                                AlertingApi.BASE + "rules/" + rule + "/deliveries?per_page=2",
                                alerting.reader());

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
                alerting.api()
                        .get(
                                AlertingApi.BASE
                                        + "rules/"
                                        + rule
                                        + "/deliveries?per_page=2&cursor="
                                        + cursor,
                                alerting.reader());

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
        long dest = alerting.webhook("ops");

        assertThat(
                        alerting.api()
                                .get(AlertingApi.BASE + "destinations/" + dest, alerting.reader())
                                .get("result")
                                .get("name")
                                .asString())
                .isEqualTo("ops");
        HttpResponse<String> r =
                alerting.api()
                        .send(
                                "POST",
                                AlertingApi.BASE + "rules",
                                alerting.reader(),
                                "{\"name\": \"r\", \"destination_id\": " + dest + "}");
        assertThat(r.statusCode()).isEqualTo(403);
    }
}
