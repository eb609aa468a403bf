package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.InsightEvent;
import dev.vigil.events.InsightEventKind;
import dev.vigil.events.InsightEventRelay;
import dev.vigil.events.InsightEventSettings;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Topics;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanResult;
import dev.vigil.testing.InsightEventTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Insight events (issue 21): every transition the results API and triage make reaches the
 * insight-events topic through the outbox, exactly as the audit log and the episodes record it, and
 * a rolled-back write publishes nothing. Each test relays to a topic of its own.
 */
class InsightEventsIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(3_600);
    static final Instant T2 = T0.plusSeconds(7_200);
    static final AtomicInteger TOPICS = new AtomicInteger();
    static ApiHarness api;
    static EmbeddedKafka kafka;
    static KafkaProducer<String, byte[]> producer;

    InsightEventRelay relay;
    InsightEventTopic topic;
    String writer;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        kafka = EmbeddedKafka.start();
        producer = KafkaClients.producer(kafka.bootstrapServers(), "insight-events-it");
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        kafka.close();
        api.close();
    }

    @BeforeEach
    void relayToAFreshTopic() {
        api.pg.reset();
        api.pg.zoneTarget("acc1", "zone1");
        writer = api.tokens.issueForAccounts("alice", List.of("acc1"));
        Topics topics = new Topics("t" + TOPICS.incrementAndGet() + "-");
        KafkaClients.ensureTopics(
                kafka.bootstrapServers(),
                List.of(topics.insightEvents()),
                3,
                Duration.ofSeconds(60));
        relay =
                Wiring.insightEvents(
                        api.pg.dataSource(),
                        new Wiring.Kafka(kafka.bootstrapServers(), topics, producer),
                        InsightEventSettings.every(Duration.ofMillis(100)),
                        new SimpleMeterRegistry());
        topic = new InsightEventTopic(kafka.bootstrapServers(), topics.insightEvents());
    }

    @AfterEach
    void closeRelay() {
        topic.close();
        relay.close();
    }

    private static ScanResult seen(Instant at, String... keys) {
        List<ResultFinding> f = new ArrayList<>();
        for (String k : keys) {
            f.add(finding("tls.min_version", k, Severity.HIGH));
        }
        return zoneResult("acc1", "zone1", at, List.of("tls.min_version"), List.of(), f);
    }

    /** The events read once as many as {@code n} arrived and the outbox is empty. */
    private List<InsightEvent> awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> topic.poll().size() >= n && outboxRows() == 0);
        return topic.poll();
    }

    private long outboxRows() {
        return api.count("select count(*) from insight_event_outbox");
    }

    @Test
    void everyTransitionIsPublishedOnceAsTheAuditLogAndTheEpisodesRecordIt() throws Exception {
        ScanResult s0 = seen(T0, "r1", "r2");
        ScanResult s1 = seen(T1, "r1");
        api.submit(s0); // opened r1, r2
        api.submit(s1); // resolved r2
        api.submit(seen(T2, "r1", "r2")); // reopened r2
        long r1 = api.insightId("acc1", "r1");
        long r2 = api.insightId("acc1", "r2");
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + r1 + "/dismiss",
                writer,
                "{\"dismiss\": true}");
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + r2 + "/classification",
                writer,
                "{\"classification\": \"accept_risk\", \"rationale\": \"lab zone\"}");

        List<InsightEvent> events = awaitEvents(6);

        assertThat(InsightEventTopic.kindsByInsight(events))
                .isEqualTo(InsightEventTopic.auditedKinds(api.jdbi))
                .isEqualTo(
                        Map.of(
                                r1, List.of("opened", "dismissed"),
                                r2, List.of("opened", "resolved", "reopened", "classified")));
        assertThat(InsightEventTopic.idCounts(events).values()).containsOnly(1L);
        long starts =
                events.stream()
                        .filter(
                                e ->
                                        e.kind() == InsightEventKind.OPENED
                                                || e.kind() == InsightEventKind.REOPENED)
                        .count();
        assertThat(starts).isEqualTo(api.count("select count(*) from insight_episodes"));
        List<InsightEvent> ofR2 = events.stream().filter(e -> e.insightId() == r2).toList();
        assertThat(ofR2).extracting(InsightEvent::occurredAt).startsWith(T0, T1, T2);
        assertThat(ofR2.get(1).scanId()).isEqualTo(s1.scanId());
        assertThat(ofR2.get(3).classification()).isEqualTo("accept_risk");
        assertThat(ofR2.get(3).actor()).isEqualTo("alice");
        assertThat(ofR2.get(0).actor()).isEqualTo("system");
        assertThat(ofR2)
                .allSatisfy(
                        e -> {
                            assertThat(e.accountId()).isEqualTo("acc1");
                            assertThat(e.zoneId()).isEqualTo("zone1");
                            assertThat(e.checkId()).isEqualTo("tls.min_version");
                            assertThat(e.resourceKey()).isEqualTo("r2");
                            assertThat(e.severity()).isEqualTo("high");
                        });
    }

    @Test
    void aRolledBackWritePublishesNothing() throws Exception {
        api.submit(seen(T0, "r1", "r2"));
        long r1 = api.insightId("acc1", "r1");
        long r2 = api.insightId("acc1", "r2");
        assertThat(awaitEvents(2)).hasSize(2);

        // a dismiss written as triage writes it, then rolled back
        try {
            api.jdbi.useTransaction(
                    h -> {
                        h.execute("update insights set dismissed = true where insight_id = ?", r1);
                        h.execute(
                                "insert into audit_log (account_id, zone_id, insight_id, action,"
                                        + " changed_by) values ('acc1', 'zone1', ?, 'dismissed',"
                                        + " 'mallory')",
                                r1);
                        // queued by the write's own transaction, with it
                        assertThat(
                                        h.createQuery("select count(*) from insight_event_outbox")
                                                .mapTo(Long.class)
                                                .one())
                                .isEqualTo(1);
                        throw new IllegalStateException("roll back");
                    });
        } catch (IllegalStateException expected) {
            // the write is gone
        }
        // a committed change after it: once it arrives, the relay has passed the rolled-back one
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + r2 + "/dismiss",
                writer,
                "{\"dismiss\": true}");

        List<InsightEvent> events = awaitEvents(3);
        assertThat(events)
                .extracting(e -> e.insightId() + ":" + e.kind().wire() + ":" + e.actor())
                .containsExactlyInAnyOrder(
                        r1 + ":opened:system", r2 + ":opened:system", r2 + ":dismissed:alice");
    }

    @Test
    void movingStrayAuditRowsIntoANewMonthPartitionPublishesNothingAgain() throws Exception {
        api.submit(seen(T0, "r1"));
        long r1 = api.insightId("acc1", "r1");
        assertThat(awaitEvents(1)).hasSize(1);
        // a month without its partition: the rows land in audit_log_default, and making the
        // partition moves them through the parent (V11), which fires the insert trigger again
        api.pg.execute(
                "insert into audit_log (at, account_id, zone_id, insight_id, action, changed_by)"
                        + " values ('2031-05-10T00:00:00Z', 'acc1', 'zone1', "
                        + r1
                        + ", 'dismissed', 'old')",
                "select vigil_create_month_partition('audit_log', date '2031-05-01')");
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + r1 + "/dismiss",
                writer,
                "{\"dismiss\": true}");

        assertThat(awaitEvents(2))
                .extracting(e -> e.kind().wire() + ":" + e.actor())
                .containsExactlyInAnyOrder("opened:system", "dismissed:alice");
        assertThat(api.count("select count(*) from audit_log_203105")).isEqualTo(1); // moved
    }
}
