package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.Wiring;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.LagSignal;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.scheduling.Watchdog;
import dev.vigil.scheduling.WatchdogConfig;
import dev.vigil.worker.BatchConsumer;
import dev.vigil.worker.DeadLetterPublisher;
import dev.vigil.worker.DeadLetters;
import dev.vigil.worker.ResilientHandler;
import dev.vigil.worker.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The lost-scan watchdog end to end: a real broker, the real scheduler and results API on an
 * embedded PostgreSQL, and a worker that dead-letters every scan of one target.
 */
class LostScanWatchdogIT {
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final ScanRequestCodec CODEC = ScanRequestCodec.create();

    @Test
    void aDeadLetteredScansTargetIsFlaggedOverdueAndRepublishedOnceThenLeftForAnOperator()
            throws Exception {
        try (ApiHarness api = ApiHarness.start();
                EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "t")) {
            kafka.createTopic("requests", 1);
            kafka.createTopic("requests.dlq", 1);
            api.pg.accountTarget("acc1");
            api.pg.zoneTarget("acc1", "fine");
            api.pg.zoneTarget("acc1", "lost");
            api.pg.execute("update targets set next_due_at = now() - interval '1 second'");
            String token = api.tokens.issueForAccounts("reader", List.of("acc1"));

            Map<String, List<ScanRequest>> seen = new ConcurrentHashMap<>();
            ResilientHandler worker =
                    new ResilientHandler(
                            r -> {
                                ScanRequest req = CODEC.decode(r.value());
                                seen.computeIfAbsent(
                                                req.targetId(), k -> new CopyOnWriteArrayList<>())
                                        .add(req);
                                if (req.targetId().equals("lost")) {
                                    throw new IllegalArgumentException(
                                            "the document of 'lost' is not an object");
                                }
                                api.submit(
                                        req.kind() == TargetKind.ACCOUNT
                                                ? accountResult(
                                                        req.accountId(),
                                                        Instant.now(),
                                                        List.of(),
                                                        List.of())
                                                : zoneResult(
                                                        req.accountId(),
                                                        req.targetId(),
                                                        Instant.now(),
                                                        List.of(),
                                                        List.of(),
                                                        List.of()));
                            },
                            RetryPolicy.DEFAULT,
                            new DeadLetterPublisher(producer, "requests.dlq"),
                            Clock.systemUTC());
            PlanIntervals intervals = PlanIntervals.defaults();
            SchedulerConfig sc =
                    new SchedulerConfig(
                            Duration.ofMinutes(30), 1.2, 50, 0, 100, 5000, Duration.ofSeconds(2));
            try (BatchConsumer consumer =
                            BatchConsumer.start(
                                    KafkaClients.consumer(kafka.bootstrapServers(), "w", "w-1", 10),
                                    "requests",
                                    worker,
                                    4,
                                    Duration.ofSeconds(5),
                                    "t-watchdog-worker");
                    Scheduler scheduler =
                            Wiring.scheduler(
                                    api.pg.dataSource(),
                                    new ScanRequestPublisher(producer, CODEC, "requests"),
                                    Inventory.create(
                                            api.pg.dataSource(),
                                            intervals,
                                            Clock.systemUTC(),
                                            new Random(1)),
                                    intervals,
                                    sc,
                                    Clock.systemUTC(),
                                    LagSignal.none(),
                                    new WatchdogConfig(DEADLINE, Duration.ofMillis(200), 100))) {
                Watchdog watchdog = Objects.requireNonNull(scheduler.watchdog());

                JsonNode lost =
                        await().atMost(Duration.ofSeconds(60))
                                .until(
                                        () -> status(api, token, "lost"),
                                        t -> !t.get("lost_scan").isNull());
                ScanRequest first = seen.get("lost").getFirst();
                Instant flagged = Instant.parse(lost.get("lost_scan").get("since").asString());
                assertThat(first.attempt()).isEqualTo(1);
                assertThat(Duration.between(first.requestedAt(), flagged))
                        .as("flagged once the deadline passed, within a few watchdog rounds")
                        .isBetween(DEADLINE, DEADLINE.plusSeconds(5));
                assertThat(lost.get("overdue").asBoolean()).isTrue();

                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> status(api, token, "lost").get("lost_scan").get("state"),
                                s -> s.asString().equals("left_for_operator"));
                // a few more rounds: nothing more is published for a target left for an operator
                long rounds = watchdog.rounds();
                await().atMost(Duration.ofSeconds(30)).until(() -> watchdog.rounds() >= rounds + 5);

                assertThat(seen.get("lost"))
                        .extracting(ScanRequest::attempt)
                        .as("the scheduled scan and one re-publish")
                        .containsExactly(1, 2);
                assertThat(seen.get("fine")).extracting(ScanRequest::attempt).containsExactly(1);
                assertThat(seen.get("acc1")).extracting(ScanRequest::attempt).containsExactly(1);
                assertThat(endOffset(kafka, "requests"))
                        .as("3 scheduled, 1 re-published")
                        .isEqualTo(4);
                assertThat(new DeadLetters(kafka.bootstrapServers(), "requests.dlq").list())
                        .extracting(DeadLetters.Entry::key)
                        .containsExactly("lost", "lost");

                JsonNode body = api.get("v1/accounts/acc1/scan-status", token);
                assertThat(body.get("result_info").get("lost_count").asLong()).isEqualTo(1);
                assertThat(body.get("result_info").get("overdue_count").asLong()).isEqualTo(1);
                JsonNode left = status(api, token, "lost");
                assertThat(left.get("overdue").asBoolean()).isTrue();
                assertThat(left.get("lost_scan").get("attempt").asInt()).isEqualTo(2);
                assertThat(left.get("lost_scan").get("since").asString())
                        .as("since the first loss")
                        .isEqualTo(lost.get("lost_scan").get("since").asString());
                assertThat(status(api, token, "fine").get("overdue").asBoolean()).isFalse();
                assertThat(status(api, token, "fine").get("lost_scan").isNull()).isTrue();
                assertThat(watchdog.republished()).isEqualTo(1);
                assertThat(watchdog.leftForOperator()).isEqualTo(1);
                assertThat(watchdog.lostNow()).isEqualTo(1);
            }
        }
    }

    private static JsonNode status(ApiHarness api, String token, String target) throws Exception {
        for (JsonNode t : api.get("v1/accounts/acc1/scan-status", token).get("result")) {
            if (t.get("target_id").asString().equals(target)) {
                return t;
            }
        }
        throw new AssertionError(target + " is not in the scan status");
    }

    private static long endOffset(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(kafka.bootstrapServers(), "check", "check-1", 10)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp), Duration.ofSeconds(15)).get(tp);
        }
    }
}
