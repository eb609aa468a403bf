package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchedulerIT {
    private static EmbeddedPostgres pg;
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.start();
        Migrations.apply(pg.dataSource());
        kafka = EmbeddedKafka.start();
        producer = KafkaClients.producer(kafka.bootstrapServers(), "scheduler-test");
    }

    @AfterAll
    static void stop() {
        producer.close();
        kafka.close();
        pg.close();
    }

    @Test
    void dueTargetsArePublishedOnceEachAndTheirNextDueMovesByTheInterval() {
        String topic = "sched-once";
        kafka.createTopic(topic, 30);
        PlanIntervals intervals = PlanIntervals.uniform(Duration.ofHours(1));
        Inventory inventory =
                Inventory.create(pg.dataSource(), intervals, Clock.systemUTC(), new Random(1));
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            targets.add(
                    Target.zone(
                            "zone-once-" + i,
                            "acct-once-" + (i % 10),
                            "z" + i + ".example",
                            Plan.FREE));
        }
        assertThat(inventory.upsert(targets)).isEqualTo(200);
        Jdbi jdbi = Jdbi.create(pg.dataSource());
        jdbi.useHandle(
                h ->
                        h.execute(
                                "update targets set next_due_at = now() where target_id like 'zone-once-%'"));
        // a fixed 1,000 scans/s: the adaptive rate for 200 targets an hour would take the hour
        SchedulerConfig cfg =
                new SchedulerConfig(
                        Duration.ofMinutes(30), 1.2, 50, 0, 1000, 5000, Duration.ofSeconds(2));
        try (Scheduler s =
                Scheduler.start(
                        pg.dataSource(),
                        new ScanRequestPublisher(producer, ScanRequestCodec.create(), topic),
                        inventory,
                        intervals,
                        cfg,
                        Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> s.published() >= 200);
        }
        List<ScanRequest> published = readAll(topic);
        Set<String> distinct = new HashSet<>();
        published.forEach(r -> distinct.add(r.targetId()));
        assertThat(published).hasSize(200);
        assertThat(distinct).hasSize(200);
        long notMoved =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from targets where target_id like 'zone-once-%'"
                                                        + " and (last_scheduled_at is null"
                                                        + "      or next_due_at < last_scheduled_at + interval '1 hour')")
                                        .mapTo(Long.class)
                                        .one());
        assertThat(notMoved).isZero();
    }

    @Test
    void onlyOneSchedulerIsActiveAndAStandbyTakesOverWhenItStops() {
        String topic = "sched-leader";
        kafka.createTopic(topic, 3);
        PlanIntervals intervals = PlanIntervals.uniform(Duration.ofHours(1));
        Inventory inventory =
                Inventory.create(pg.dataSource(), intervals, Clock.systemUTC(), new Random(2));
        SchedulerConfig cfg = SchedulerConfig.from(Env.of(Map.of()));
        ScanRequestPublisher publisher =
                new ScanRequestPublisher(producer, ScanRequestCodec.create(), topic);
        Scheduler first =
                Scheduler.start(
                        pg.dataSource(), publisher, inventory, intervals, cfg, Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
        try (Scheduler second =
                Scheduler.start(
                        pg.dataSource(), publisher, inventory, intervals, cfg, Clock.systemUTC())) {
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !second.isLeader());
            first.close();
            await().atMost(Scheduler.STANDBY_POLL.multipliedBy(3)).until(second::isLeader);
        }
    }

    private static List<ScanRequest> readAll(String topic) {
        ScanRequestCodec codec = ScanRequestCodec.create();
        List<ScanRequest> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(
                        kafka.bootstrapServers(), "reader-" + topic, "reader", 1000)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int idle = 0;
            while (idle < 8 && System.nanoTime() < deadline) {
                var batch = c.poll(Duration.ofMillis(250));
                if (batch.isEmpty()) {
                    if (!c.assignment().isEmpty()) {
                        idle++;
                    }
                } else {
                    idle = 0;
                    batch.forEach(r -> out.add(codec.decode(r.value())));
                }
            }
        }
        return out;
    }
}
