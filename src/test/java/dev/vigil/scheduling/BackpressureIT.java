package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.LaneLagSignal;
import dev.vigil.app.Wiring;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.testing.TestPostgres;
import dev.vigil.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's brake against real Kafka and PostgreSQL: the fast lane's consumer group stops
 * committing, its lag passes the bound, the scheduler slows down and the rest of the due targets
 * wait in the database; the group resumes, the lag drains, the planned rate returns and every
 * target is delivered exactly once.
 *
 * <p>The lane's group is worked by a plain consumer in {@link Worker#groupId} that counts what it
 * receives and commits after each poll, standing in for the workers: what is under test is the lag
 * the broker reports for that group and what the scheduler does with it.
 */
class BackpressureIT {
    private static final int TARGETS = 1_500;
    private static final double PLANNED = 150;

    private static TestPostgres pg;
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        kafka = EmbeddedKafka.start();
        producer = KafkaClients.producer(kafka.bootstrapServers(), "backpressure-test");
    }

    @AfterAll
    static void stop() {
        producer.close();
        kafka.close();
        pg.close();
    }

    @Test
    void stalledWorkersSlowTheSchedulerDownAndEveryTargetIsDeliveredOnceAfterTheyResume()
            throws Exception {
        Topics topics = new Topics("bp.");
        kafka.createTopic(topics.scanRequests(), 3);
        PlanIntervals intervals = PlanIntervals.uniform(Duration.ofHours(1));
        Inventory inventory = dueTargets(intervals);
        // 150 scans/s planned; a lane more than 2 s of work behind brakes it
        SchedulerConfig cfg =
                new SchedulerConfig(
                                Duration.ofMinutes(30),
                                1.2,
                                20,
                                0,
                                PLANNED,
                                5000,
                                Duration.ofSeconds(2))
                        .withMaxLag(Duration.ofSeconds(2));
        Wiring.Kafka k = new Wiring.Kafka(kafka.bootstrapServers(), topics, producer);
        Map<String, Integer> received = new ConcurrentHashMap<>();
        AtomicBoolean stalled = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        try (LaneWorkers workers =
                        new LaneWorkers(topics.scanRequests(), received, stalled, committed);
                LaneLagSignal lag = Wiring.lagSignal(k, Duration.ofMillis(250));
                Scheduler s =
                        Wiring.scheduler(
                                pg.dataSource(),
                                Wiring.scanRequests(k, dev.vigil.telemetry.Tracing.noop()),
                                inventory,
                                intervals,
                                cfg,
                                Clock.systemUTC(),
                                lag)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= 100);
            assertThat(s.backpressure().throttled()).isFalse();
            assertThat(s.rate()).isEqualTo(PLANNED);

            stalled.set(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.backpressure().throttled());
            assertThat(s.backpressure().cause()).isEqualTo(Lane.FAST);
            // the floor, once the consumption measured before the stall has left the signal's
            // window: the lane consumes nothing
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> s.rate() == PLANNED * Backpressure.FLOOR_FRACTION);
            assertThat(s.plannedRate()).isEqualTo(PLANNED);
            long publishedWhenThrottled = s.published();
            // at the floor, ~7.5 scans/s: the remaining targets stay due in the database
            assertThat(s.dueBacklog()).isPositive();
            assertThat(publishedWhenThrottled).isLessThan(TARGETS);

            stalled.set(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> !s.backpressure().throttled());
            // released, the rate ramps up from the floor, doubling every 2 s, to the plan
            await().atMost(Duration.ofSeconds(30)).until(() -> s.rate() == PLANNED);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == TARGETS);
            await().atMost(Duration.ofSeconds(60)).until(() -> s.published() == TARGETS);
        }
        assertThat(received).hasSize(TARGETS);
        Map<Integer, Long> copies =
                received.values().stream()
                        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        assertThat(copies).as("every target delivered exactly once").containsOnlyKeys(1);
        long stillDue =
                Jdbi.create(pg.dataSource())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select count(*) from targets"
                                                                + " where next_due_at <= now()")
                                                .mapTo(Long.class)
                                                .one());
        assertThat(stillDue).as("nothing left behind in the database").isZero();
    }

    /** {@link #TARGETS} zone targets, all due now. */
    private static Inventory dueTargets(PlanIntervals intervals) {
        Inventory inventory =
                Inventory.create(pg.dataSource(), intervals, Clock.systemUTC(), new Random(20));
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add(Target.zone("zone-bp-" + i, "acct-bp-" + (i % 10), "z" + i, Plan.FREE));
        }
        assertThat(inventory.upsert(targets)).isEqualTo(TARGETS);
        Jdbi.create(pg.dataSource())
                .useHandle(h -> h.execute("update targets set next_due_at = now()"));
        return inventory;
    }

    /**
     * The fast lane's group, worked by one consumer on a thread of its own: while not stalled it
     * counts each request's target and commits after each poll; while stalled it keeps polling (so
     * it stays in the group) with its partitions paused, and commits nothing.
     */
    private static final class LaneWorkers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        LaneWorkers(
                String topic,
                Map<String, Integer> received,
                AtomicBoolean stalled,
                AtomicLong committed) {
            ScanRequestCodec codec = ScanRequestCodec.create();
            this.thread =
                    Thread.ofPlatform()
                            .name("stand-in-fast-lane")
                            .start(
                                    () -> {
                                        try (KafkaConsumer<String, byte[]> c =
                                                KafkaClients.consumer(
                                                        kafka.bootstrapServers(),
                                                        Worker.groupId(Lane.FAST),
                                                        "stand-in",
                                                        200)) {
                                            c.subscribe(List.of(topic));
                                            while (running.get()) {
                                                if (stalled.get()) {
                                                    c.pause(c.assignment());
                                                } else {
                                                    c.resume(c.paused());
                                                }
                                                var batch = c.poll(Duration.ofMillis(100));
                                                if (batch.isEmpty()) {
                                                    continue;
                                                }
                                                batch.forEach(
                                                        r ->
                                                                received.merge(
                                                                        codec.decode(r.value())
                                                                                .targetId(),
                                                                        1,
                                                                        Integer::sum));
                                                c.commitSync();
                                                committed.addAndGet(batch.count());
                                            }
                                        }
                                    });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
