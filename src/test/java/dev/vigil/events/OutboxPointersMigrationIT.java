package dev.vigil.events;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.results.ResultWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V19 turns the rows V15's trigger queued whole into pointers at their audit rows, and the relay
 * publishes them as V15 would have: a database is built to V18, written to while the old trigger
 * queues, its audit rows stripped of the scan time V19's writers add (as rows audited before the
 * upgrade are), then migrated and drained.
 */
class OutboxPointersMigrationIT {

    private static final Instant SCANNED = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void rowsQueuedBeforeTheUpgradeArePublishedWithTheirFacts() {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            Flyway.configure()
                    .dataSource(pg.dataSource())
                    .locations(Migrations.LOCATION)
                    .target("18")
                    .load()
                    .migrate();
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "insert into targets (target_id, kind, account_id, zone_id,"
                                            + " name, plan, next_due_at) values ('zone1', 'zone',"
                                            + " 'acc1', 'zone1', 'zone1.example', 'free', now())"));
            ResultWriter.create(pg.dataSource(), 50, 100_000)
                    .apply(
                            zoneResult(
                                    "acc1",
                                    "zone1",
                                    SCANNED,
                                    List.of("a"),
                                    List.of(),
                                    List.of(finding("a", "r1"), finding("a", "r2"))));
            assertThat(
                            count(
                                    jdbi,
                                    "select count(*) from insight_event_outbox where kind ="
                                            + " 'opened' and check_id = 'a'"))
                    .isEqualTo(2);
            jdbi.useHandle(h -> h.execute("update audit_log set detail = detail - 'scanned_at'"));

            Migrations.apply(pg.dataSource());

            assertThat(
                            count(
                                    jdbi,
                                    "select count(*) from insight_event_outbox o join audit_log a"
                                            + " on a.audit_id = o.audit_id and a.at ="
                                            + " o.recorded_at where a.action = 'opened'"))
                    .isEqualTo(2);
            MockProducer<String, byte[]> producer =
                    new MockProducer<>(
                            true, null, new StringSerializer(), new ByteArraySerializer());
            try (InsightEventRelay relay =
                    InsightEventRelay.start(
                            pg.dataSource(),
                            producer,
                            "t",
                            InsightEventSettings.every(Duration.ofMillis(50)),
                            new SimpleMeterRegistry())) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> count(jdbi, "select count(*) from insight_event_outbox") == 0);
            }

            InsightEventCodec codec = InsightEventCodec.create();
            List<InsightEvent> events =
                    producer.history().stream().map(r -> codec.decode(r.value())).toList();
            assertThat(events).hasSize(2);
            assertThat(events)
                    .allSatisfy(
                            e -> {
                                assertThat(e.kind()).isEqualTo(InsightEventKind.OPENED);
                                assertThat(e.checkId()).isEqualTo("a");
                                assertThat(e.zoneId()).isEqualTo("zone1");
                                assertThat(e.actor()).isEqualTo("system");
                                assertThat(e.scanId()).isNotNull();
                                // no scan time in the detail: the insight's first_seen_at
                                assertThat(e.occurredAt()).isEqualTo(SCANNED);
                            });
            assertThat(events)
                    .extracting(InsightEvent::resourceKey)
                    .containsExactlyInAnyOrder("r1", "r2");
        }
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
