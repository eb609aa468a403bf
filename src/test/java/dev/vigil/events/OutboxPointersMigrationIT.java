package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V19 turns the rows V15's trigger queued whole into pointers at their audit rows, and the relay
 * publishes them as V15 would have: a database is built to V18, written to while the old trigger
 * queues, its audit rows stripped of the scan time V19's writers add (as rows audited before the
 * upgrade are), then migrated and drained.
 */
class OutboxPointersMigrationIT {

    @Test
    void rowsQueuedBeforeTheUpgradeArePublishedWithTheirFacts() {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            TestPostgres.migrateTo(pg.dataSource(), "18");
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            RelayRuns.addZone1(pg.dataSource());
            RelayRuns.openTwo(pg.dataSource());
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
                                            + " on a.audit_id between o.first_audit_id and"
                                            + " o.last_audit_id and a.at = o.recorded_at"
                                            + " where a.action = 'opened'"))
                    .isEqualTo(2);
            List<InsightEvent> events = RelayRuns.drain(pg.dataSource(), new SimpleMeterRegistry());

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
                                assertThat(e.occurredAt()).isEqualTo(RelayRuns.SCANNED);
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
