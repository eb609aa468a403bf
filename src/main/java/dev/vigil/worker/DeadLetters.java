package dev.vigil.worker;

import dev.vigil.events.KafkaClients;
import dev.vigil.events.VigilHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of the dead-letter topic: list what is there and why, and replay (after a
 * fix) what matches a filter back to the topic it came from. Replays are tracked by the consumer
 * group {@link #REPLAY_GROUP}: a dead letter is replayed once, even if the command runs again, and
 * one a filter skipped stays pending for a later run, even behind replayed ones ({@link
 * ReplayMarks}).
 */
public final class DeadLetters {
    /** The consumer group whose committed offsets mark what was replayed already. */
    public static final String REPLAY_GROUP = "vigil-dlq-replay";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** One dead letter, as its headers describe it. */
    public record Entry(
            int partition,
            long offset,
            @Nullable String key,
            String originalTopic,
            String originalPartition,
            String originalOffset,
            String errorType,
            String errorMessage,
            String attempts,
            String lastAttemptAt) {}

    private final String bootstrap;
    private final String topic;

    public DeadLetters(String bootstrap, String deadLetterTopic) {
        this.bootstrap = bootstrap;
        this.topic = deadLetterTopic;
    }

    /** Every dead letter currently in the topic, oldest first per partition. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(bootstrap, "vigil-dlq-list-unused", "vigil-dlq-list", 1000)) {
            List<TopicPartition> parts = partitions(c);
            c.assign(parts);
            c.seekToBeginning(parts);
            readToEnd(c, parts, r -> out.add(entry(r)));
        }
        return out;
    }

    /**
     * Re-publishes the dead letters not replayed before that match {@code filter} to their original
     * topic (original key, value and headers, without the dead-letter headers), and marks them
     * replayed in {@link #REPLAY_GROUP}; the ones {@code filter} skips stay pending. Each entry is
     * acknowledged by Kafka before it is marked; the marks are committed at the end, so a run that
     * fails midway replays its entries again on the next run (at least once, as the topic's
     * consumers expect).
     *
     * @return the replayed entries
     */
    public List<Entry> replay(Predicate<Entry> filter) {
        List<Entry> replayed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                        KafkaClients.consumer(bootstrap, REPLAY_GROUP, "vigil-dlq-replay", 1000);
                KafkaProducer<String, byte[]> p =
                        KafkaClients.producer(bootstrap, "vigil-dlq-replay")) {
            List<TopicPartition> parts = partitions(c);
            c.assign(parts);
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(new HashSet<>(parts));
            Map<TopicPartition, Long> start = c.beginningOffsets(parts, Duration.ofSeconds(15));
            Map<TopicPartition, ReplayMarks> marks = new HashMap<>();
            for (TopicPartition tp : parts) {
                ReplayMarks m = ReplayMarks.from(committed.get(tp), start.getOrDefault(tp, 0L));
                marks.put(tp, m);
                c.seek(tp, Math.max(m.next(), start.getOrDefault(tp, 0L)));
            }
            Set<TopicPartition> full = new HashSet<>();
            readToEnd(
                    c,
                    parts,
                    r -> {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        ReplayMarks m = Objects.requireNonNull(marks.get(tp), tp.toString());
                        Entry e = entry(r);
                        if (m.isDone(r.offset()) || !filter.test(e)) {
                            return; // replayed by an earlier run, or skipped: stays pending
                        }
                        if (!m.fits(r.offset())) {
                            full.add(tp); // pending for a later run, once the skipped ones went
                            return;
                        }
                        send(p, r);
                        m.markDone(r.offset());
                        replayed.add(e);
                    });
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            marks.forEach((tp, m) -> commit.put(tp, m.commit()));
            c.commitSync(commit);
            if (!full.isEmpty()) {
                log.warn(
                        "dead letters of {} match but were left pending: the replay marks of"
                                + " their partition reached {} characters (many entries skipped"
                                + " between replayed ones); replay the skipped ones, or run again"
                                + " with a narrower filter",
                        full,
                        ReplayMarks.MAX_METADATA);
            }
        }
        return replayed;
    }

    private void send(KafkaProducer<String, byte[]> p, ConsumerRecord<String, byte[]> r) {
        String original = header(r, VigilHeaders.DLQ_TOPIC);
        ProducerRecord<String, byte[]> back = new ProducerRecord<>(original, r.key(), r.value());
        for (Header h : r.headers()) {
            if (!h.key().startsWith("vigil-dlq-")) {
                back.headers().add(h);
            }
        }
        try {
            p.send(back).get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", ex);
        } catch (ExecutionException ex) {
            throw new IllegalStateException(
                    "replaying "
                            + topic
                            + "/"
                            + r.partition()
                            + "@"
                            + r.offset()
                            + ": "
                            + ex.getCause(),
                    ex);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(
                    "dead-letter topic " + topic + " does not exist at " + bootstrap);
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private static void readToEnd(
            KafkaConsumer<String, byte[]> c,
            List<TopicPartition> parts,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(15));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.getOrDefault(tp, 0L))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "reading " + parts + " did not reach the end offsets within 5 minutes");
            }
            c.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    private static Entry entry(ConsumerRecord<String, byte[]> r) {
        return new Entry(
                r.partition(),
                r.offset(),
                r.key(),
                header(r, VigilHeaders.DLQ_TOPIC),
                header(r, VigilHeaders.DLQ_PARTITION),
                header(r, VigilHeaders.DLQ_OFFSET),
                header(r, VigilHeaders.DLQ_ERROR_TYPE),
                header(r, VigilHeaders.DLQ_ERROR_MESSAGE),
                header(r, VigilHeaders.DLQ_ATTEMPTS),
                header(r, VigilHeaders.DLQ_LAST_ATTEMPT_AT));
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        String v = VigilHeaders.get(r.headers(), name);
        return v == null ? "" : v;
    }
}
