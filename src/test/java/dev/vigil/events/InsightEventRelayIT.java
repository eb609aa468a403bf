package dev.vigil.events;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.results.ResultWriter;
import dev.vigil.results.WriteOutcome;
import dev.vigil.results.WritePath;
import dev.vigil.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The relay against real PostgreSQL and Kafka's {@link MockProducer}, whose acknowledgements the
 * test gives or refuses: a refused batch stays queued and is sent again, with the same event ids,
 * after a backoff; an acknowledged one is deleted.
 */
class InsightEventRelayIT {

    @Test
    void aBatchKafkaRefusesStaysQueuedAndIsSentAgainWithTheSameEventIds() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            RelayRuns.openTwo(pg.dataSource());
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            MockProducer<String, byte[]> producer =
                    new MockProducer<>(
                            false, null, new StringSerializer(), new ByteArraySerializer());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            InsightEventSettings settings =
                    new InsightEventSettings(
                            true,
                            10,
                            Duration.ofMillis(50),
                            Duration.ofMillis(200),
                            new EventFraming.SingleObject());
            // as production runs it: the api role's login, DML only
            try (InsightEventRelay relay =
                    InsightEventRelay.start(
                            pg.memberOf("vigil_api"),
                            producer,
                            "t-insight-events",
                            settings,
                            registry)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> producer.history().size() == 2);
                while (producer.errorNext(new TimeoutException("broker away"))) {
                    // refuse the whole first batch
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> producer.history().size() == 4);

                assertThat(queued(jdbi)).isEqualTo(2);
                assertThat(registry.counter("vigil_insight_events_publish_failures_total").count())
                        .isEqualTo(1);
                while (producer.completeNext()) {
                    // acknowledge the second attempt
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> queued(jdbi) == 0);
            }

            List<ProducerRecord<String, byte[]>> sent = producer.history();
            InsightEventCodec codec = InsightEventCodec.create();
            List<String> ids =
                    sent.stream().map(r -> codec.decode(r.value()).eventId().toString()).toList();
            assertThat(ids.subList(2, 4)).isEqualTo(ids.subList(0, 2));
            assertThat(sent).allSatisfy(r -> assertThat(r.topic()).isEqualTo("t-insight-events"));
            assertThat(sent.get(0).key()).isEqualTo(codec.decode(sent.get(0).value()).key());
            assertThat(registry.counter("vigil_insight_events_published_total").count())
                    .isEqualTo(2);
        }
    }

    @Test
    void offQueuesNothing() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            MockProducer<String, byte[]> producer =
                    new MockProducer<>(
                            true, null, new StringSerializer(), new ByteArraySerializer());
            InsightEventSettings off =
                    new InsightEventSettings(
                            false,
                            10,
                            Duration.ofMillis(50),
                            Duration.ofMillis(200),
                            new EventFraming.SingleObject());
            try (InsightEventRelay relay =
                    InsightEventRelay.start(
                            pg.dataSource(), producer, "t", off, new SimpleMeterRegistry())) {
                ResultWriter.create(pg.dataSource(), 50, 100_000)
                        .apply(
                                zoneResult(
                                        "acc1",
                                        "zone1",
                                        Instant.parse("2026-12-01T00:00:00Z"),
                                        List.of("a"),
                                        List.of(),
                                        List.of(finding("a", "r1"))));
            }

            assertThat(queued(Jdbi.create(pg.dataSource()))).isZero();
            assertThat(producer.history()).isEmpty();
        }
    }

    @Test
    void theCopyPathQueuesOneEventPerNewInsightAndTheRelayDrainsThemInBatches() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            WriteOutcome out =
                    ResultWriter.create(pg.dataSource(), 50, 100_000)
                            .apply(
                                    zoneResult(
                                            "acc1",
                                            "zone1",
                                            Instant.parse("2026-12-01T00:00:00Z"),
                                            List.of("check_0", "check_1"),
                                            List.of(),
                                            many(300, 2)));
            assertThat(out.path()).isEqualTo(WritePath.COPY);
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            assertThat(queued(jdbi)).isEqualTo(300);
            List<InsightEvent> events = RelayRuns.drain(pg.dataSource(), new SimpleMeterRegistry());

            assertThat(events)
                    .hasSize(300)
                    .allSatisfy(e -> assertThat(e.kind()).isEqualTo(InsightEventKind.OPENED));
            assertThat(events)
                    .allSatisfy(e -> assertThat(e.occurredAt()).isEqualTo(RelayRuns.SCANNED));
            assertThat(events.stream().map(InsightEvent::eventId).distinct()).hasSize(300);
            assertThat(events.stream().map(e -> e.checkId() + "/" + e.resourceKey()).distinct())
                    .hasSize(300);
        }
    }

    /**
     * A queued row whose audit row is gone (an audit partition dropped by retention before the row
     * was published) cannot become an event: it is dropped, and the rows behind it still go out.
     */
    @Test
    void aRowWhoseAuditRowIsGoneIsDroppedAndTheOthersArePublished() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            RelayRuns.openTwo(pg.dataSource());
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            assertThat(queued(jdbi)).isEqualTo(2);
            String gone =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "select i.resource_key from insights i join"
                                                            + " audit_log a using (account_id,"
                                                            + " insight_id) where a.audit_id ="
                                                            + " (select min(first_audit_id)"
                                                            + " from insight_event_outbox)")
                                            .mapTo(String.class)
                                            .one());
            pg.execute(
                    "delete from audit_log where audit_id = (select min(first_audit_id) from"
                            + " insight_event_outbox)");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<InsightEvent> events = RelayRuns.drain(pg.dataSource(), registry);

            assertThat(events).hasSize(1);
            InsightEvent e = events.getFirst();
            assertThat(e.resourceKey()).isIn("r1", "r2").isNotEqualTo(gone);
            assertThat(e.kind()).isEqualTo(InsightEventKind.OPENED);
            assertThat(registry.counter("vigil_insight_events_published_total").count())
                    .isEqualTo(1);
        }
    }

    private static long queued(Jdbi jdbi) {
        return RelayRuns.queued(jdbi);
    }
}
