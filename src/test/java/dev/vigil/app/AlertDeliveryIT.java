package dev.vigil.app;

import static dev.vigil.app.AlertPipeline.JSON;
import static dev.vigil.app.AlertPipeline.SSL_OFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.inventory.Target;
import dev.vigil.testing.AlertReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19 end to end on the whole pipeline: config pushes to the API open, resolve and reopen an
 * insight; the results transaction queues the alerts, the api role's dispatcher sends them to a
 * webhook receiver on 127.0.0.1 that verifies the Standard Webhooks signature with the secret the
 * destination's creation answered. Each test owns a zone and a receiver, so they do not meet.
 */
class AlertDeliveryIT {
    static AlertPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = AlertPipeline.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void anOpeningDeliversOneSignedMessagePerMatchingRuleAndARescanNone() throws Exception {
        Target zone = pipeline.zone(0);
        pipeline.push(zone, "strict");
        try (AlertReceiver receiver = AlertReceiver.start("127.0.0.1", List.of())) {
            long hook = webhook(receiver, zone);
            String inZone = "\"zone_id\": [\"" + zone.targetId() + "\"]";
            long critical =
                    pipeline.rule(
                            "critical",
                            hook,
                            "[\"opened\"]",
                            "{\"severity\": [\"critical\"], " + inZone + "}");
            long sslOff =
                    pipeline.rule(
                            "ssl-off",
                            hook,
                            "[\"opened\"]",
                            "{\"check_id\": [\"" + SSL_OFF + "\"], " + inZone + "}");
            long notCritical =
                    pipeline.rule(
                            "not-critical",
                            hook,
                            "[\"opened\"]",
                            "{\"check_id\": [\""
                                    + SSL_OFF
                                    + "\"], \"severity~neq\": [\"critical\"], "
                                    + inZone
                                    + "}");

            pipeline.push(zone, "off");

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 2);
            List<AlertReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(2);
            assertThat(got).allSatisfy(r -> assertThat(r.verifiedBy()).containsExactly(true));
            assertThat(got.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(2);
            assertThat(got.stream().map(AlertDeliveryIT::ruleId))
                    .containsExactlyInAnyOrder(critical, sslOff);
            assertThat(got)
                    .allSatisfy(r -> assertThat(events(r)).containsExactly("opened " + SSL_OFF));

            // The same document again is no change; an on-demand scan is stored, and queues none.
            assertThat(pipeline.push(zone, "off")).isEqualTo("unchanged");
            pipeline.scanNow(zone);

            assertThat(outboxRows(critical, sslOff, notCritical)).isEqualTo(2);
            assertThat(pipeline.deliveries(notCritical)).isEmpty();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> delivered(critical) == 1 && delivered(sslOff) == 1);
            assertThat(receiver.received()).hasSize(2);
        }
    }

    @Test
    void aFixAlertsOnlyTheRuleWithResolvedAndARegressionAlertsTheReopen() throws Exception {
        Target zone = pipeline.zone(2);
        pipeline.push(zone, "strict");
        try (AlertReceiver receiver = AlertReceiver.start("127.0.0.1", List.of())) {
            long hook = webhook(receiver, zone);
            String filters =
                    "{\"check_id\": [\""
                            + SSL_OFF
                            + "\"], \"zone_id\": [\""
                            + zone.targetId()
                            + "\"]}";
            long openedOnly = pipeline.rule("opened-only", hook, "[\"opened\"]", filters);
            long every =
                    pipeline.rule(
                            "every", hook, "[\"opened\", \"reopened\", \"resolved\"]", filters);

            pipeline.push(zone, "off");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 2);
            pipeline.push(zone, "strict");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 3);
            pipeline.push(zone, "off");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 4);

            List<AlertReceiver.Received> got = receiver.received();
            assertThat(got).allSatisfy(r -> assertThat(r.verifiedBy()).containsExactly(true));
            assertThat(got.stream().filter(r -> ruleId(r) == every).map(AlertDeliveryIT::events))
                    .containsExactly(
                            List.of("opened " + SSL_OFF),
                            List.of("resolved " + SSL_OFF),
                            List.of("reopened " + SSL_OFF));
            assertThat(
                            got.stream()
                                    .filter(r -> ruleId(r) == openedOnly)
                                    .map(AlertDeliveryIT::events))
                    .containsExactly(List.of("opened " + SSL_OFF));
            // committed with the scans that resolved and reopened: nothing more can come for it
            assertThat(outboxRows(openedOnly)).isEqualTo(1);
            assertThat(got).hasSize(4);
        }
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheMessageOnceUnderOneWebhookId() throws Exception {
        Target zone = pipeline.zone(1);
        pipeline.push(zone, "strict");
        try (AlertReceiver receiver = AlertReceiver.start("127.0.0.1", List.of())) {
            receiver.script(
                    AlertReceiver.Reply.of(500, "down"),
                    AlertReceiver.Reply.of(500, "down"),
                    AlertReceiver.Reply.of(500, "down"));
            long hook = webhook(receiver, zone);
            long rule =
                    pipeline.rule(
                            "flaky",
                            hook,
                            "[\"opened\"]",
                            "{\"check_id\": [\""
                                    + SSL_OFF
                                    + "\"], \"zone_id\": [\""
                                    + zone.targetId()
                                    + "\"]}");

            pipeline.push(zone, "off");

            await().atMost(Duration.ofSeconds(20)).until(() -> delivered(rule) == 1);
            List<AlertReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(4);
            assertThat(got).allSatisfy(r -> assertThat(r.verifiedBy()).containsExactly(true));
            assertThat(got.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
            JsonNode log = pipeline.deliveries(rule);
            assertThat(log).hasSize(1);
            assertThat(log.get(0).get("id").asString())
                    .isEqualTo(got.getFirst().header("webhook-id"));
            assertThat(log.get(0).get("attempt_log"))
                    .extracting(
                            a -> a.get("outcome").asString() + " " + a.get("status_code").asInt())
                    .containsExactly("delivered 200", "retry 500", "retry 500", "retry 500");
        }
    }

    private static long webhook(AlertReceiver receiver, Target zone) throws Exception {
        JsonNode created = pipeline.webhook("hook of " + zone.name(), receiver.url("/vigil"));
        receiver.verifyingWith(created.get("secret").asString());
        return created.get("id").asLong();
    }

    /** Messages of {@code rule} the delivery log shows delivered. */
    private static long delivered(long rule) throws Exception {
        long n = 0;
        for (JsonNode m : pipeline.deliveries(rule)) {
            if (m.get("status").asString().equals("delivered")) {
                n++;
            }
        }
        return n;
    }

    private static long outboxRows(long... rules) {
        StringBuilder in = new StringBuilder();
        for (long r : rules) {
            in.append(in.isEmpty() ? "" : ",").append(r);
        }
        return pipeline.count("select count(*) from alert_outbox where rule_id in (" + in + ")");
    }

    private static long ruleId(AlertReceiver.Received r) {
        return JSON.readTree(r.body()).get("data").get("rule_id").asLong();
    }

    /** The message's events as "trigger check_id". */
    private static List<String> events(AlertReceiver.Received r) {
        return JSON.readTree(r.body())
                .get("data")
                .get("events")
                .valueStream()
                .map(e -> e.get("trigger").asString() + " " + e.get("check_id").asString())
                .toList();
    }
}
