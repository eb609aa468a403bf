package dev.vigil.alerts;

import static dev.vigil.alerts.DispatcherTesting.FAST;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.alerts.internal.MessageAssembly;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultWriter;
import dev.vigil.testing.TestPostgres;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on a real database with a fake {@link Sender}: what it sends for what the results
 * transaction queued, how it retries, what a 410 and a missing key do. Sharing the work between
 * replicas, leases and digests are {@link DispatcherSharingIT}'s.
 */
class AlertDispatcherIT {

    static TestPostgres pg;
    static AlertFixtures alerts;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final List<String> CHECKS = List.of("dns.a", "tls.b");
    static final SecretBox BOX = SecretBox.random();
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    ResultWriter writer;
    DispatcherTesting dispatchers;
    long hook;

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
        alerts = new AlertFixtures(Jdbi.create(pg.dataSource()));
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    @BeforeEach
    void resetTables() {
        pg.reset();
        pg.execute(AlertFixtures.TABLES);
        pg.zoneTarget("acc1", "zone1");
        writer = ResultWriter.create(pg.dataSource(), ResultWriter.DEFAULT_UNNEST_THRESHOLD, 1_000);
        hook = alerts.webhook("acc1", "hook", "https://hooks.example/in", BOX.seal("acc1", SECRET));
        dispatchers = new DispatcherTesting(pg);
    }

    @AfterEach
    void closeDispatchers() {
        dispatchers.close();
    }

    private void scan(Instant at, ResultFinding... fs) {
        writer.apply(zoneResult("acc1", "zone1", at, CHECKS, List.of(), List.of(fs)));
    }

    private static String status(UUID message) {
        return alerts.rows("select status from alert_messages where message_id = '" + message + "'")
                .getFirst()
                .get("status")
                .toString();
    }

    @Test
    void anOpeningSendsOneMessagePerMatchingRuleWithTheEventsOfTheScan() {
        alerts.rule("acc1", "all", hook, "");
        alerts.rule("acc1", "dns", hook, "families = '{dns}'");
        alerts.rule("acc1", "tls", hook, "families = '{tls}'");
        FakeSender sender = FakeSender.delivering();
        dispatchers.start(sender, FAST, Optional.of(BOX));

        scan(T0, finding("dns.a", "r1"), finding("dns.a", "r2"));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                alerts.count(
                                                        "select count(*) from alert_messages"
                                                                + " where status = 'delivered'"))
                                        .isEqualTo(2));
        List<FakeSender.Sent> sent = sender.sent();
        assertThat(sent).extracting(s -> s.message().ruleName()).containsOnly("all", "dns");
        assertThat(sender.ids()).doesNotHaveDuplicates();
        for (FakeSender.Sent s : sent) {
            assertThat(s.message().events())
                    .extracting(AlertEvent::subject)
                    .containsExactlyInAnyOrder("r1", "r2");
            assertThat(s.message().events())
                    .allSatisfy(
                            e -> {
                                assertThat(e.trigger()).isEqualTo(Trigger.OPENED);
                                assertThat(e.zoneId()).isEqualTo("zone1");
                                assertThat(e.at()).isEqualTo(T0);
                            });
            assertThat(s.message().dashboard()).isEqualTo(DispatcherTesting.DASHBOARD);
            assertThat(s.destination())
                    .isEqualTo(
                            new Destination.Webhook(
                                    hook,
                                    "acc1",
                                    "hook",
                                    java.net.URI.create("https://hooks.example/in"),
                                    List.of(SECRET)));
        }
        assertThat(
                        dispatchers
                                .registry
                                .get("vigil_alert_deliveries")
                                .tags("destination_type", "webhook", "outcome", "delivered")
                                .counter()
                                .count())
                .isEqualTo(2.0);

        scan(T0.plusSeconds(60), finding("dns.a", "r1"), finding("dns.a", "r2"));
        assertThat(alerts.count("select count(*) from alert_outbox")).isEqualTo(4);
        assertThat(alerts.count("select count(*) from alert_messages")).isEqualTo(2);
    }

    @Test
    void aReceiverAnsweringRetryThreeTimesGetsTheMessageOnceAfterItsRetryAfter() {
        alerts.rule("acc1", "all", hook, "");
        DeliveryOutcome busy =
                new DeliveryOutcome.Retry(
                        503, "503 Service Unavailable", Duration.ofMillis(300), Duration.ZERO);
        FakeSender sender = FakeSender.answering(busy, busy, busy, FakeSender.delivered());
        dispatchers.start(sender, FAST, Optional.of(BOX));

        scan(T0, finding("dns.a", "r1"));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(alerts.count("select count(*) from alert_attempts"))
                                        .isEqualTo(4));
        UUID id = sender.ids().getFirst();
        assertThat(sender.ids()).containsOnly(id).hasSize(4);
        assertThat(status(id)).isEqualTo("delivered");
        List<Map<String, Object>> attempts =
                alerts.rows(
                        "select attempt, outcome, status_code, error, at from alert_attempts"
                                + " order by attempt");
        assertThat(attempts)
                .extracting(a -> a.get("outcome"))
                .containsExactly("retry", "retry", "retry", "delivered");
        assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3, 4);
        assertThat(attempts)
                .extracting(a -> a.get("status_code"))
                .containsExactly(503, 503, 503, 200);
        for (int i = 1; i < attempts.size(); i++) {
            Instant before = ((Timestamp) attempts.get(i - 1).get("at")).toInstant();
            Instant after = ((Timestamp) attempts.get(i).get("at")).toInstant();
            // the receiver's Retry-After (300 ms) beats the backoff's ceiling (at most 100 ms)
            assertThat(Duration.between(before, after))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aMessageStillFailingAtItsGiveUpTimeFails() {
        alerts.rule("acc1", "all", hook, "");
        FakeSender sender =
                FakeSender.answering(
                        new DeliveryOutcome.Retry(null, "connect timed out", null, Duration.ZERO));
        DispatcherConfig giveUpAtOnce =
                new DispatcherConfig(
                        FAST.poll(),
                        FAST.lease(),
                        FAST.backoffBase(),
                        FAST.backoffCap(),
                        Duration.ofMillis(1),
                        FAST.concurrency(),
                        FAST.groupBatch(),
                        FAST.dashboard(),
                        FAST.closeDeadline());
        dispatchers.start(sender, giveUpAtOnce, Optional.of(BOX));

        scan(T0, finding("dns.a", "r1"));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                alerts.rows(
                                                        "select status, last_error from"
                                                                + " alert_messages"))
                                        .containsExactly(
                                                Map.of(
                                                        "status",
                                                        "failed",
                                                        "last_error",
                                                        "connect timed out")));
        assertThat(sender.sent()).hasSize(1);
    }

    @Test
    void aGoneReceiverFailsTheMessageAndDisablesItsDestination() {
        alerts.rule("acc1", "all", hook, "");
        FakeSender sender =
                FakeSender.answering(new DeliveryOutcome.Gone(410, "410 Gone", Duration.ZERO));
        dispatchers.start(sender, FAST, Optional.of(BOX));

        scan(T0, finding("dns.a", "r1"));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                alerts.count(
                                                        "select count(*) from alert_destinations"
                                                                + " where disabled_at is not null"))
                                        .isEqualTo(1));
        assertThat(status(sender.ids().getFirst())).isEqualTo("failed");
        assertThat(alerts.rows("select disabled_reason from alert_destinations"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.get("disabled_reason").toString())
                                        .contains("410 Gone", sender.ids().getFirst().toString()));

        // the disabled destination's rules queue nothing meanwhile
        scan(T0.plusSeconds(60), finding("dns.a", "r1"), finding("dns.a", "r2"));
        assertThat(alerts.count("select count(*) from alert_outbox")).isEqualTo(1);
    }

    @Test
    void aSealedSecretWithoutTheOperatorsKeyIsRefusedSayingSo() {
        alerts.rule("acc1", "all", hook, "");
        FakeSender sender = FakeSender.delivering();
        dispatchers.start(sender, FAST, Optional.empty());

        scan(T0, finding("dns.a", "r1"));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                alerts.count(
                                                        "select count(*) from alert_messages"
                                                                + " where status = 'refused'"))
                                        .isEqualTo(1));
        assertThat(sender.sent()).isEmpty();
        assertThat(alerts.rows("select outcome, error from alert_attempts"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.get("outcome")).isEqualTo("refused");
                            assertThat(a.get("error").toString())
                                    .isEqualTo(
                                            "destination "
                                                    + hook
                                                    + " ('hook') has a sealed signing secret but"
                                                    + " VIGIL_ALERT_SECRET_KEY is not set: set it"
                                                    + " to the key that sealed it");
                        });
    }

    @Test
    void aTestMessageCarriesOneSampleEvent() {
        UUID id = UUID.randomUUID();
        alerts.execute(
                "insert into alert_messages (message_id, account_id, destination_id, test, events)"
                        + " values ('"
                        + id
                        + "', 'acc1', "
                        + hook
                        + ", true, 1)");
        FakeSender sender = FakeSender.delivering();
        dispatchers.start(sender, FAST, Optional.of(BOX));

        await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("delivered"));
        AlertMessage m = sender.sent().getFirst().message();
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(m.test()).isTrue();
        assertThat(m.ruleId()).isNull();
        assertThat(m.ruleName()).isEqualTo("test");
        assertThat(m.events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.checkId()).isEqualTo(MessageAssembly.TEST_CHECK_ID);
                            assertThat(e.accountId()).isEqualTo("acc1");
                            assertThat(e.message()).contains("test alert");
                        });
    }
}
