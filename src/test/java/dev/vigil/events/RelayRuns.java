package dev.vigil.events;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.awaitility.Awaitility.await;

import dev.vigil.results.ResultWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

/** What the relay tests share: a results write that opens two insights, and a drain to the end. */
final class RelayRuns {

    static final Instant SCANNED = Instant.parse("2026-12-01T00:00:00Z");

    private RelayRuns() {}

    /** Adds zone1 (account acc1) as a target, which {@link #openTwo} expects. */
    static void addZone1(DataSource ds) {
        Jdbi.create(ds)
                .useHandle(
                        h ->
                                h.execute(
                                        "insert into targets (target_id, kind, account_id,"
                                                + " zone_id, name, plan, next_due_at) values"
                                                + " ('zone1', 'zone', 'acc1', 'zone1',"
                                                + " 'zone1.example', 'free', now())"));
    }

    /** Stores a scan of zone1 (account acc1, a target already) opening insights a/r1 and a/r2. */
    static void openTwo(DataSource ds) {
        ResultWriter.create(ds, 50, 100_000)
                .apply(
                        zoneResult(
                                "acc1",
                                "zone1",
                                SCANNED,
                                List.of("a"),
                                List.of(),
                                List.of(finding("a", "r1"), finding("a", "r2"))));
    }

    /**
     * Runs a relay over {@code ds} into a producer that acknowledges everything until the outbox is
     * empty; answers the events sent, in order.
     */
    static List<InsightEvent> drain(DataSource ds, MeterRegistry registry) {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Jdbi jdbi = Jdbi.create(ds);
        try (InsightEventRelay relay =
                InsightEventRelay.start(
                        ds,
                        producer,
                        "t",
                        InsightEventSettings.every(Duration.ofMillis(50)),
                        registry)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> queued(jdbi) == 0);
        }
        InsightEventCodec codec = InsightEventCodec.create();
        return producer.history().stream().map(r -> codec.decode(r.value())).toList();
    }

    /** The transitions queued: the lengths of the queued ranges of audit ids, summed. */
    static long queued(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select coalesce(sum(last_audit_id - first_audit_id + 1),"
                                                + " 0) from insight_event_outbox")
                                .mapTo(Long.class)
                                .one());
    }
}
