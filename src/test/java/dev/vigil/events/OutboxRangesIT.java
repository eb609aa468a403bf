package dev.vigil.events;

import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.results.ResultWriter;
import dev.vigil.results.WriteOutcome;
import dev.vigil.results.WritePath;
import dev.vigil.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The outbox queues one row per run of consecutive audit ids a statement wrote (V25), and the relay
 * expands the runs back into the transitions, in audit id order, taking a run longer than its batch
 * a head at a time.
 */
class OutboxRangesIT {

    @Test
    void aCopyOfManyNewInsightsQueuesOneRangeThatTheRelayPublishesAcrossBatches() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            WriteOutcome out =
                    ResultWriter.create(pg.dataSource(), 50, 100_000)
                            .apply(
                                    zoneResult(
                                            "acc1",
                                            "zone1",
                                            RelayRuns.SCANNED,
                                            List.of("check_0", "check_1", "check_2"),
                                            List.of(),
                                            many(1_200, 3)));
            assertThat(out.path()).isEqualTo(WritePath.COPY);
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            assertThat(count(jdbi, "select count(*) from insight_event_outbox")).isEqualTo(1);
            assertThat(RelayRuns.queued(jdbi)).isEqualTo(1_200);
            List<Long> audited =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "select insight_id from audit_log where action"
                                                            + " = 'opened' order by audit_id")
                                            .mapTo(Long.class)
                                            .list());

            // the relay's batch is 500: the range goes out as 500, 500 and 200
            List<InsightEvent> events = RelayRuns.drain(pg.dataSource(), new SimpleMeterRegistry());

            assertThat(events).extracting(InsightEvent::insightId).isEqualTo(audited);
            assertThat(events.stream().map(InsightEvent::eventId).distinct()).hasSize(1_200);
            assertThat(events).allSatisfy(e -> assertThat(e.checkId()).startsWith("check_"));
        }
    }

    @Test
    void aStatementWhoseTransitionsAreNotConsecutiveQueuesOneRowPerRunAndKeepsTheirOrder() {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            RelayRuns.openTwo(pg.dataSource());
            RelayRuns.drain(pg.dataSource(), new SimpleMeterRegistry());
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            List<Long> insights =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "select insight_id from insights order by"
                                                            + " resource_key")
                                            .mapTo(Long.class)
                                            .list());
            long r1 = insights.get(0);
            long r2 = insights.get(1);
            // the second row is no insight's transition: it splits the statement's ids in two runs
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "insert into audit_log (account_id, zone_id, insight_id,"
                                            + " action, changed_by) values"
                                            + " ('acc1', 'zone1', ?, 'dismissed', 'ann'),"
                                            + " ('acc1', 'zone1', null, 'sla_changed', 'ann'),"
                                            + " ('acc1', 'zone1', ?, 'dismissed', 'ann'),"
                                            + " ('acc1', 'zone1', ?, 'undismissed', 'bob')",
                                    r1,
                                    r2,
                                    r1));
            assertThat(count(jdbi, "select count(*) from insight_event_outbox")).isEqualTo(2);
            assertThat(RelayRuns.queued(jdbi)).isEqualTo(3);

            // a claim of two takes the first run whole and the head of the second
            List<InsightEventOutbox.Queued> first = takeOff(jdbi, 2);
            assertThat(first)
                    .extracting(q -> q.event().insightId() + " " + q.event().kind())
                    .containsExactly(r1 + " DISMISSED", r2 + " DISMISSED");
            assertThat(count(jdbi, "select count(*) from insight_event_outbox")).isEqualTo(1);
            assertThat(RelayRuns.queued(jdbi)).isEqualTo(1);
            List<InsightEventOutbox.Queued> rest = takeOff(jdbi, 10);

            assertThat(rest)
                    .extracting(q -> q.event().insightId() + " " + q.event().actor())
                    .containsExactly(r1 + " bob");
            assertThat(rest.getFirst().id()).isEqualTo(first.getLast().id() + 1);
            assertThat(RelayRuns.queued(jdbi)).isZero();
        }
    }

    /** Claims up to {@code n} transitions and takes them off the queue, as a relay pass does. */
    private static List<InsightEventOutbox.Queued> takeOff(Jdbi jdbi, int n) {
        return jdbi.inTransaction(
                h -> {
                    List<InsightEventOutbox.Queued> rows = InsightEventOutbox.claim(h, n);
                    InsightEventOutbox.delete(h, rows);
                    return rows;
                });
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
