package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.testing.MovableClock;
import dev.vigil.testing.TestPostgres;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog's rounds over the real schema, with a clock the test moves. */
class WatchdogIT {
    private static final Duration DEADLINE = Duration.ofMinutes(15);
    private static TestPostgres pg;
    private final ScanRequestCodec codec = ScanRequestCodec.create();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final MovableClock clock =
            new MovableClock(Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS));

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @BeforeEach
    void reset() {
        pg.reset();
    }

    @Test
    void aLostScanIsRepublishedOnceAtItsDeadlineThenLeftForAnOperator() {
        pg.zoneTarget("acct-1", "zone-lost");
        claimAll(1);
        Watchdog w = watchdog(100);

        clock.advance(DEADLINE.minusSeconds(1));
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 0, 0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 1, 0));
        assertThat(w.check())
                .as("the re-publish is watched anew")
                .isEqualTo(new Watchdog.Round(0, 0, 0));
        assertThat(state("zone-lost")).isEqualTo("republished");

        clock.advance(DEADLINE);
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 0, 1));
        clock.advance(DEADLINE.multipliedBy(4));
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 0, 0));

        assertThat(published()).extracting(ScanRequest::attempt).containsExactly(1, 2);
        assertThat(state("zone-lost")).isEqualTo("left_for_operator");
        assertThat(w.lostNow()).isEqualTo(1);
    }

    @Test
    void aResultStoredAfterThePublishSettlesTheScanAndClearsAnEarlierFlag() {
        pg.zoneTarget("acct-1", "zone-ok");
        claimAll(1);
        pg.execute(
                "update targets set scan_lost_at = now() - interval '1 day',"
                        + " scan_lost_state = 'left_for_operator'");
        Jdbi.create(pg.dataSource())
                .useHandle(
                        h ->
                                h.createUpdate("update targets set last_result_at = :at")
                                        .bind("at", Timestamp.from(clock.instant().plusSeconds(2)))
                                        .execute());
        Watchdog w = watchdog(100);

        clock.advance(DEADLINE);
        assertThat(w.check()).isEqualTo(new Watchdog.Round(1, 0, 0));
        assertThat(state("zone-ok")).isNull();
        assertThat(w.lostNow()).isZero();
        assertThat(published()).hasSize(1);
    }

    @Test
    void aRoundChecksAtMostItsBatchOldestFirst() {
        for (int i = 0; i < 25; i++) {
            pg.zoneTarget("acct-1", "zone-" + i);
        }
        claimAll(25);
        Watchdog w = watchdog(10);

        clock.advance(DEADLINE);
        assertThat(w.check().republished()).isEqualTo(10);
        assertThat(w.check().republished()).isEqualTo(10);
        assertThat(w.check().republished()).isEqualTo(5);
        assertThat(w.check().republished()).isZero();
        assertThat(published().stream().filter(r -> r.attempt() == 2).map(ScanRequest::targetId))
                .hasSize(25)
                .doesNotHaveDuplicates();
    }

    /**
     * Once a hundred scans were seen landing quickly, the deadline falls from the configured 15
     * minutes to its floor (three times their p99 is under it), and a lost scan is re-published at
     * the floor.
     */
    @Test
    void afterEnoughQuickLandingsALostScanIsFlaggedAtTheFloor() {
        Duration floor = Duration.ofMinutes(4);
        for (int i = 0; i < 120; i++) {
            pg.zoneTarget("acct-1", "zone-" + i);
        }
        claimAll(120);
        pg.execute(
                "update targets set last_scan_id = scan_published_id,"
                        + " last_result_at = watch_from + interval '2 seconds'");
        Watchdog w = watchdog(500, floor);
        assertThat(w.deadline()).as("no landing seen yet").isEqualTo(DEADLINE);

        clock.advance(DEADLINE);
        assertThat(w.check()).isEqualTo(new Watchdog.Round(120, 0, 0));
        assertThat(w.deadline()).as("3 × 2 s is under the floor").isEqualTo(floor);

        pg.zoneTarget("acct-1", "zone-lost");
        claimAll(1);
        clock.advance(floor.minusSeconds(1));
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 0, 0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.check()).isEqualTo(new Watchdog.Round(0, 1, 0));
        assertThat(state("zone-lost")).isEqualTo("republished");
    }

    /**
     * Two schedulers that both believe they lead (the lock changing hands mid-round) run rounds at
     * once: each lost scan is re-published by one of them only.
     */
    @Test
    void twoWatchdogsAtOnceRepublishEachLostScanOnce() throws Exception {
        for (int i = 0; i < 200; i++) {
            pg.zoneTarget("acct-" + (i % 7), "zone-" + i);
        }
        claimAll(200);
        clock.advance(DEADLINE);
        Watchdog a = watchdog(50);
        Watchdog b = watchdog(50);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> ra = CompletableFuture.runAsync(() -> rounds(a, go));
        CompletableFuture<Void> rb = CompletableFuture.runAsync(() -> rounds(b, go));
        go.countDown();
        CompletableFuture.allOf(ra, rb).get();

        assertThat(a.republished() + b.republished()).isEqualTo(200);
        assertThat(published().stream().filter(r -> r.attempt() == 2).map(ScanRequest::targetId))
                .hasSize(200)
                .doesNotHaveDuplicates();
    }

    private static void rounds(Watchdog w, CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < 8; i++) {
            w.check();
        }
    }

    /** Publishes the {@code n} targets inserted, whose due time is the database's now. */
    private void claimAll(int n) {
        clock.advance(Duration.ofMinutes(1)); // past the inserts, however slow they were
        assertThat(claimer().claimAndPublish(1_000)).isEqualTo(n);
    }

    private DueClaimer claimer() {
        return new DueClaimer(
                pg.dataSource(),
                new ScanRequestPublisher(producer, codec, "scan-requests"),
                PlanIntervals.uniform(Duration.ofDays(7)),
                new LaneClassifier(5_000, Duration.ofSeconds(2)),
                clock);
    }

    private Watchdog watchdog(int batch) {
        return watchdog(batch, DEADLINE);
    }

    private Watchdog watchdog(int batch, Duration floor) {
        return Watchdog.create(
                pg.dataSource(),
                new ScanRequestPublisher(producer, codec, "scan-requests"),
                new LaneClassifier(5_000, Duration.ofSeconds(2)),
                new WatchdogConfig(DEADLINE, Duration.ofSeconds(30), batch, floor),
                clock);
    }

    private List<ScanRequest> published() {
        return producer.history().stream().map(r -> codec.decode(r.value())).toList();
    }

    private static String state(String target) {
        return Jdbi.create(pg.dataSource())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select scan_lost_state from targets where target_id = :t")
                                        .bind("t", target)
                                        .mapTo(String.class)
                                        .one());
    }
}
