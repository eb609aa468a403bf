package dev.vigil.chaos;

import dev.vigil.events.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * A producer with Vigil's settings ({@link KafkaClients#producer}: {@code acks=all}, idempotent,
 * {@code linger.ms} 5) that sends a small record every {@link #PERIOD} to the next partition of a
 * probe topic and keeps each send's latency, send to acknowledgement, so the suite can state what a
 * broker's crash costs the producers (the scheduler's, the API's): {@link #window}.
 *
 * <p>Sends never wait for each other: a send stalled behind a crashed leader leaves the next ones
 * to queue behind it (the producer keeps a partition's batches in order), as the roles' sends do.
 * Thread-safe: the samples are written by the producer's I/O thread and read by the suite, under
 * this object's lock.
 */
final class ProduceProbe implements AutoCloseable {

    /** One send every 100 ms: ten samples a second, negligible load. */
    static final Duration PERIOD = Duration.ofMillis(100);

    private record Sample(long sentNanos, long latencyNanos, boolean ok) {}

    private final String topic;
    private final int partitions;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService timer;
    private final List<Sample> samples = new ArrayList<>(); // guarded by this
    private int next; // the timer thread's only

    private ProduceProbe(String bootstrap, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        this.producer = KafkaClients.producer(bootstrap, "chaos-produce-probe");
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().name("chaos-produce-probe").daemon().unstarted(r));
    }

    /**
     * Starts probing {@code topic} (which must exist with {@code partitions} partitions) at once.
     */
    static ProduceProbe start(String bootstrap, String topic, int partitions) {
        ProduceProbe probe = new ProduceProbe(bootstrap, topic, partitions);
        // a send's failure is caught in sendOne and kept as a sample, never left in this future
        var _ =
                probe.timer.scheduleAtFixedRate(
                        probe::sendOne, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    private void sendOne() {
        int partition = next++ % partitions;
        long sent = System.nanoTime();
        try {
            // the callback records the outcome, failure included
            var _ =
                    producer.send(
                            new ProducerRecord<>(topic, partition, null, new byte[16]),
                            (metadata, e) -> record(sent, e == null));
        } catch (KafkaException e) {
            // a send refused at once (buffer full, producer closing) is a failed one
            record(sent, false);
        }
    }

    private synchronized void record(long sent, boolean ok) {
        samples.add(new Sample(sent, System.nanoTime() - sent, ok));
    }

    /**
     * The latencies of the sends made in {@code [fromNanos, fromNanos + length)} ({@link
     * System#nanoTime()} terms) that have completed by now.
     */
    synchronized ProduceLatency.Window window(long fromNanos, Duration length) {
        long to = fromNanos + length.toNanos();
        List<Long> ok = new ArrayList<>();
        int failed = 0;
        for (Sample s : samples) {
            if (s.sentNanos() >= fromNanos && s.sentNanos() < to) {
                if (s.ok()) {
                    ok.add(s.latencyNanos());
                } else {
                    failed++;
                }
            }
        }
        return ProduceLatency.Window.of(ok.stream().mapToLong(Long::longValue).toArray(), failed);
    }

    /** Stops sending and closes the producer (waiting at most 5 s for sends in flight). */
    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
