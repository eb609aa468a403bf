package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.EventFraming;
import dev.vigil.events.InsightEvent;
import dev.vigil.events.InsightEventRelay;
import dev.vigil.events.InsightEventSettings;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Topics;
import dev.vigil.results.ResultFinding;
import dev.vigil.testing.InsightEventTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The outbox rides out a broker restart: transitions written while the broker is down wait in
 * PostgreSQL, and once it is back every transition arrives exactly once (no event id missing, none
 * twice), in order per insight.
 */
class InsightEventsRestartIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final int KEYS = 12;

    @Test
    void everyTransitionArrivesExactlyOnceAcrossABrokerRestart() throws Exception {
        try (ApiHarness api = ApiHarness.start();
                EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "insight-restart")) {
            api.pg.zoneTarget("acc1", "zone1");
            Topics topics = new Topics("restart-");
            KafkaClients.ensureTopics(
                    kafka.bootstrapServers(),
                    List.of(topics.insightEvents()),
                    3,
                    Duration.ofSeconds(60));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (InsightEventRelay relay =
                            Wiring.insightEvents(
                                    api.pg.dataSource(),
                                    new Wiring.Kafka(kafka.bootstrapServers(), topics, producer),
                                    new InsightEventSettings(
                                            true,
                                            20,
                                            Duration.ofMillis(100),
                                            Duration.ofSeconds(2),
                                            new EventFraming.SingleObject()),
                                    registry);
                    InsightEventTopic topic =
                            new InsightEventTopic(
                                    kafka.bootstrapServers(), topics.insightEvents())) {
                scans(api, 0, 8);
                await().atMost(Duration.ofSeconds(60)).until(() -> !topic.poll().isEmpty());

                double closedBefore = connectionsClosed(producer);
                kafka.stop();
                scans(api, 8, 16); // committed while no broker answers: queued in PostgreSQL
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> connectionsClosed(producer) > closedBefore);
                assertThat(api.count("select count(*) from insight_event_outbox")).isPositive();
                kafka.restart();
                scans(api, 16, 24);

                long audited =
                        InsightEventTopic.auditedKinds(api.jdbi).values().stream()
                                .mapToLong(List::size)
                                .sum();
                await().atMost(Duration.ofMinutes(3))
                        .until(
                                () ->
                                        topic.poll().size() >= audited
                                                && api.count(
                                                                "select count(*) from"
                                                                        + " insight_event_outbox")
                                                        == 0);
                List<InsightEvent> events = topic.poll();

                assertThat(audited).isGreaterThan(40);
                assertThat(InsightEventTopic.idCounts(events).values()).containsOnly(1L);
                assertThat(events).hasSize((int) audited);
                assertThat(InsightEventTopic.kindsByInsight(events))
                        .isEqualTo(InsightEventTopic.auditedKinds(api.jdbi));
            }
        }
    }

    /**
     * Scans {@code from} (inclusive) to {@code to}: scan {@code i} sees the keys {@code k} with
     * {@code (k + i) % 3 != 0}, so each scan opens, resolves and reopens some of them.
     */
    private static void scans(ApiHarness api, int from, int to) {
        for (int i = from; i < to; i++) {
            List<ResultFinding> f = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                if ((k + i) % 3 != 0) {
                    f.add(finding("tls.min_version", "r" + k, Severity.HIGH));
                }
            }
            api.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            T0.plusSeconds(60L * i),
                            List.of("tls.min_version"),
                            List.of(),
                            f));
        }
    }

    /** Connections the producer has seen closed so far (its {@code connection-close-total}). */
    private static double connectionsClosed(KafkaProducer<String, byte[]> producer) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics"))
                .filter(e -> e.getKey().name().equals("connection-close-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }
}
