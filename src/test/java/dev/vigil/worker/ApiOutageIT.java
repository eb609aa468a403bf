package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.results.RetriableResultsException;
import dev.vigil.testing.Acks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Workers ride out a results-API outage: while the API is down every submit fails as {@link
 * dev.vigil.results.ResultsClient} fails on a refused connection ({@link
 * RetriableResultsException}); the worker's {@link ResilientHandler} retries with {@link
 * RetryPolicy} backoff, holds the batch uncommitted, and once the API is back every result is
 * stored, none dead-lettered (the outage outlasts the policy's attempt count but not its time), and
 * the group's offsets reach the end.
 */
class ApiOutageIT {

    private static final String TOPIC = "outage-requests";
    private static final String GROUP = "outage-group";
    private static final int RECORDS = 600;

    @Test
    void apiOutageMidRunLosesNothingAndCommitsOnlyStoredResults() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "outage-producer")) {
            kafka.createTopic(TOPIC, 6);
            kafka.createTopic("outage-dlq", 1);
            AtomicBoolean apiUp = new AtomicBoolean(true);
            Set<String> stored = ConcurrentHashMap.newKeySet();
            AtomicLong refused = new AtomicLong();
            Map<String, Integer> refusedByKey = new ConcurrentHashMap<>();
            // the results port: the API stores the result, or the connection is refused
            ResilientHandler.Work submit =
                    r -> {
                        Thread.sleep(5);
                        if (!apiUp.get()) {
                            refused.incrementAndGet();
                            refusedByKey.merge(r.key(), 1, Integer::sum);
                            throw new RetriableResultsException(
                                    "results API at http://127.0.0.1:1/ refused the connection",
                                    null);
                        }
                        stored.add(r.key());
                    };
            ResilientHandler handler =
                    new ResilientHandler(
                            submit,
                            // three attempts, but two minutes: the time is the budget
                            new RetryPolicy(
                                    3,
                                    Duration.ofMillis(100),
                                    Duration.ofSeconds(2),
                                    Duration.ofMinutes(2)),
                            new DeadLetterPublisher(producer, "outage-dlq"),
                            Clock.systemUTC());
            try (BatchConsumer consumer =
                    BatchConsumer.start(
                            KafkaClients.consumer(kafka.bootstrapServers(), GROUP, "w-0", 50),
                            TOPIC,
                            handler,
                            8,
                            Duration.ofSeconds(10),
                            "outage-consumer")) {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    acks.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            TOPIC,
                                            "scan-" + i,
                                            ("" + i).getBytes(StandardCharsets.UTF_8))));
                }
                producer.flush();
                Acks.awaitAll(acks);
                await().atMost(Duration.ofMinutes(2)).until(() -> stored.size() >= 50);

                apiUp.set(false);
                // The outage is measured in retries of one record, not in seconds: a batch held
                // across them must not be committed. Six refusals of a record outlast its three
                // attempts; they take its first five backoffs (3.1 s idle at most), well inside
                // its two minutes.
                await().atMost(Duration.ofMinutes(1)).until(() -> mostRefusals(refusedByKey) >= 3);
                long committedDuringOutage = committed(kafka);
                long storedDuringOutage = stored.size();
                await().atMost(Duration.ofMinutes(1)).until(() -> mostRefusals(refusedByKey) >= 6);
                // nothing committed beyond what was stored before the outage
                assertThat(committed(kafka)).isLessThanOrEqualTo(storedDuringOutage);
                assertThat(committedDuringOutage).isLessThanOrEqualTo(storedDuringOutage);
                apiUp.set(true);

                await().atMost(Duration.ofMinutes(2)).until(() -> stored.size() == RECORDS);
                await().atMost(Duration.ofMinutes(2)).until(() -> committed(kafka) == RECORDS);
                assertThat(refused.get()).as("submits refused during the outage").isPositive();
                assertThat(handler.retries()).isPositive();
                assertThat(handler.deadLettered()).isZero();
                assertThat(consumer.failure()).isNull();
            }
        }
    }

    /** The most times one record's submit was refused. */
    private static int mostRefusals(Map<String, Integer> refusedByKey) {
        return refusedByKey.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Offsets committed by the group, summed over the partitions. */
    private static long committed(EmbeddedKafka kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                kafka.admin()
                        .listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (OffsetAndMetadata o : offsets.values()) {
            if (o != null) {
                sum += o.offset();
            }
        }
        return sum;
    }
}
