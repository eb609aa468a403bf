package dev.vigil.worker;

import dev.vigil.worker.internal.InFlight;
import dev.vigil.worker.internal.OffsetCommits;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer that processes polled batches in parallel while keeping order per key.
 *
 * <p><b>Contract.</b> One platform thread polls. Each non-empty poll becomes a batch: its records
 * are grouped by key and handed to the {@link RecordHandler} on virtual threads, the records of one
 * key in offset order (a key's records in a newer batch after its records in older ones), different
 * keys concurrently, at most {@code maxInFlight} keys at once over all batches. Newer batches start
 * while older ones finish, up to {@link #MAX_BATCHES} batches or {@link #MAX_BYTES} of record
 * values (see {@link InFlight} for why); at that bound every assigned partition is paused and the
 * thread keeps polling (which returns nothing) until the oldest batch is done, so a long batch
 * never exceeds {@code max.poll.interval.ms}. Offsets are committed synchronously in poll order:
 * after the oldest batches that are done, never past a record not yet done, so a crash repeats work
 * and never loses it; the handler must therefore be idempotent. Batches of only records {@code
 * accept} refused (the other lane's) are not committed on their own: their offsets go with the next
 * batch of this lane's work, or within {@link #SKIPPED_COMMIT_EVERY}, or at revocation and close.
 *
 * <p><b>Rebalance.</b> When every partition is revoked (an eager rebalance), the chains not yet
 * started are skipped and the callback waits only for the ones running, commits the batches done
 * before the first with a skipped chain, and forgets the rest: their records go back uncommitted,
 * to be consumed again by the partitions' next owner. When only some are revoked, it waits for
 * every batch in flight and commits them before the partitions move. Records returned for a
 * partition newly assigned while the consumer is paused at its bound are not processed then: the
 * consumer seeks back to them and pauses the partition until there is room.
 *
 * <p><b>Failure.</b> If the handler throws, the batches that finished before the failed one are
 * committed, the failed one and every newer one are abandoned uncommitted and the consumer stops;
 * the process is expected to exit and be restarted (its partitions move to other members
 * meanwhile).
 *
 * <p><b>Shutdown.</b> {@link #close()} stops polling, lets the batches in flight finish within the
 * shutdown deadline (abandoning the unfinished ones uncommitted after that), commits what finished,
 * and closes the Kafka consumer.
 *
 * <p>Thread-safety: the Kafka consumer is used by the polling thread only; counters may be read
 * from any thread.
 */
public final class BatchConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration WAIT_POLL = Duration.ofMillis(20);

    /**
     * How long the oldest batch is awaited between keep-alive polls at the bound. The wait ends as
     * soon as the batch does, so this bounds only how often the consumer polls while paused (each
     * poll costs client and broker work); rebalances and shutdown are noticed within it.
     */
    private static final Duration AWAIT_BATCH = Duration.ofMillis(100);

    /** Batches in flight at most: room for the stragglers of a few while newer ones run. */
    static final int MAX_BATCHES = 8;

    /** Record values held by the batches in flight at most (inline config changes are large). */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /**
     * How long the offsets after batches of only the other lane's records may wait to be committed.
     * Each lane's group reads the whole topic, so the lane with little work of its own keeps up
     * with every publish and polls a few records at a time; committing each such batch cost a
     * commit request and an append to the offsets topic per poll (about 140 a second from the slow
     * lane in {@code vigil bench pipeline}, against a few from the busy lane). Left uncommitted by
     * a crash, those records are only read and dropped again: nothing is lost or scanned twice.
     */
    static final Duration SKIPPED_COMMIT_EVERY = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Predicate<ConsumerRecord<String, byte[]>> accept;
    private final ChainHandler handler;
    private final Duration shutdownDeadline;
    private final Thread thread;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile int assigned;
    private volatile @Nullable Throwable failure;
    private final InFlight inFlight;
    private final OffsetCommits commits;

    private BatchConsumer(
            Consumer<String, byte[]> consumer,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler,
            int maxInFlight,
            Duration shutdownDeadline,
            String name) {
        this.consumer = consumer;
        this.topic = topic;
        this.accept = accept;
        this.handler = handler;
        this.inFlight = new InFlight(maxInFlight, MAX_BATCHES, MAX_BYTES);
        this.commits = new OffsetCommits(consumer, SKIPPED_COMMIT_EVERY);
        this.shutdownDeadline = shutdownDeadline;
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    /**
     * Subscribes {@code consumer} (which this object now owns and closes) to {@code topic} and
     * starts polling on a new thread.
     */
    public static BatchConsumer start(
            Consumer<String, byte[]> consumer,
            String topic,
            RecordHandler handler,
            int maxInFlight,
            Duration shutdownDeadline,
            String threadName) {
        return start(
                consumer, topic, r -> true, handler, maxInFlight, shutdownDeadline, threadName);
    }

    /**
     * As above, handing only the records {@code accept} takes to {@code handler}: the others (the
     * other lane's requests) are dropped at the edge, on the polling thread, and committed with
     * their batch. {@code accept} must be cheap: it reads a header, not the value.
     */
    public static BatchConsumer start(
            Consumer<String, byte[]> consumer,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            RecordHandler handler,
            int maxInFlight,
            Duration shutdownDeadline,
            String threadName) {
        return startChains(
                consumer,
                topic,
                accept,
                ChainHandler.each(handler),
                maxInFlight,
                shutdownDeadline,
                threadName);
    }

    /** As above, each key's records of a batch handed to {@code handler} as one chain. */
    static BatchConsumer startChains(
            Consumer<String, byte[]> consumer,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler,
            int maxInFlight,
            Duration shutdownDeadline,
            String threadName) {
        BatchConsumer c =
                new BatchConsumer(
                        consumer,
                        topic,
                        accept,
                        handler,
                        maxInFlight,
                        shutdownDeadline,
                        threadName);
        c.thread.start();
        return c;
    }

    /** Records done (handled and committed or about to be). */
    public long processed() {
        return processed.get();
    }

    public long batches() {
        return batches.get();
    }

    /**
     * The Kafka consumer, for metric binders: {@code metrics()} may be called from any thread;
     * everything else belongs to the polling thread.
     */
    public Consumer<String, byte[]> kafkaConsumer() {
        return consumer;
    }

    /** Why the consumer stopped on its own, or null while it runs or after a clean close. */
    public @Nullable Throwable failure() {
        return failure;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * True once the consumer is a member of its group: its first assignment arrived (possibly
     * empty, when the group has more members than the topic has partitions).
     */
    public boolean joined() {
        return joined;
    }

    /** Partitions assigned to this consumer at the last rebalance. */
    public int assignedPartitions() {
        return assigned;
    }

    private void run() {
        consumer.subscribe(List.of(topic), new Rebalance());
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records =
                        consumer.poll(inFlight.isEmpty() ? POLL : WAIT_POLL);
                if (!records.isEmpty()) {
                    inFlight.start(records, accept, handler);
                    batches.incrementAndGet();
                }
                commitDone();
                throwIfFailed();
                if (inFlight.full()) {
                    awaitRoom();
                } else if (records.isEmpty()) {
                    commits.commitSkippedIfDue();
                }
            }
            drain();
        } catch (WakeupException e) {
            // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            log.error("consumer of {} stopped: {}", topic, e.toString(), e);
        } finally {
            inFlight.abandonAll();
            finishOnExit();
        }
    }

    private void throwIfFailed() {
        Throwable err = inFlight.failure();
        if (err != null) {
            throw new IllegalStateException("record handler failed; batch left uncommitted", err);
        }
    }

    /** At the bound: pauses every partition and keeps polling until the oldest batch is done. */
    private void awaitRoom() throws InterruptedException {
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        consumer.pause(paused);
        try {
            while (running && inFlight.full()) {
                if (inFlight.awaitOldest(AWAIT_BATCH)) {
                    commitDone();
                    throwIfFailed();
                } else {
                    deferStray(consumer.poll(WAIT_POLL), paused);
                }
            }
        } finally {
            Set<TopicPartition> resume = new HashSet<>(paused);
            resume.retainAll(consumer.assignment());
            consumer.resume(resume);
        }
    }

    /** At shutdown: the batches in flight finish within the deadline, or are abandoned. */
    private void drain() throws InterruptedException {
        if (!inFlight.awaitAll(shutdownDeadline)) {
            log.warn(
                    "shutdown deadline {} passed with {} records in flight unfinished; abandoning"
                            + " them uncommitted (they will be consumed again)",
                    shutdownDeadline,
                    inFlight.unfinished());
        }
        commitDone();
    }

    /** Records of partitions assigned mid-batch: rewind and pause them until the batch ends. */
    private void deferStray(ConsumerRecords<String, byte[]> stray, Set<TopicPartition> paused) {
        if (stray.isEmpty()) {
            return;
        }
        for (TopicPartition tp : stray.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = stray.records(tp);
            consumer.seek(tp, rs.getFirst().offset());
            consumer.pause(List.of(tp));
            paused.add(tp);
        }
    }

    private void commitDone() {
        processed.addAndGet(commits.commitDone(inFlight, consumer.assignment()));
    }

    private void finishOnExit() {
        try {
            commits.commitSkipped(consumer.assignment());
        } catch (RuntimeException e) {
            log.warn("committing the skipped offsets of {}: {}", topic, e.toString());
        }
        try {
            consumer.close(shutdownDeadline);
        } catch (RuntimeException e) {
            log.warn("closing consumer of {}: {}", topic, e.toString());
        }
    }

    /** Stops polling, drains or abandons the running batch within the deadline, commits, closes. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(shutdownDeadline.plusSeconds(5).toMillis());
            if (thread.isAlive()) {
                consumer.wakeup();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                revoked(partitions);
            } finally {
                // the deferred offsets are before any of the batch's: committing them is right
                // whether or not the batch's were
                commits.commitSkipped(partitions);
            }
        }

        private void revoked(Collection<TopicPartition> partitions) {
            if (inFlight.isEmpty() || partitions.isEmpty()) {
                return;
            }
            // An eager rebalance (the default assignor) revokes every partition, and the next
            // assignment starts each from its committed offset: the records not yet started can
            // go back uncommitted. A partial revocation (a cooperative assignor) keeps the others'
            // positions, so there every batch must finish.
            boolean all = partitions.containsAll(consumer.assignment());
            if (all) {
                inFlight.handBack();
            }
            try {
                if (!inFlight.awaitAll(shutdownDeadline)) {
                    log.warn(
                            "partitions {} revoked with batches unfinished; committing only those"
                                    + " before the first unfinished one",
                            partitions);
                }
                commitDone();
                if (all) {
                    int left = inFlight.forgetRest();
                    if (left > 0) {
                        log.info(
                                "partitions of {} revoked: {} records not yet handled go back"
                                        + " uncommitted with them",
                                topic,
                                left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = consumer.assignment().size();
            joined = true;
            log.info("assigned {} partitions of {}", partitions.size(), topic);
        }
    }
}
