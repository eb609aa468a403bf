package dev.vigil.worker.internal;

import dev.vigil.worker.ChainHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * One polled batch in flight: a virtual thread per key hands that key's records, in order, to the
 * {@link ChainHandler}; a semaphore bounds how many keys run at once, and a latch tells when every
 * key is done.
 *
 * <p>Thread-safe: the polling thread waits and reads offsets; key threads count down.
 */
public final class Batch {
    private final int size;
    private final int accepted;
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;
    private final CountDownLatch keysLeft;
    private final AtomicInteger recordsLeft;
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final ExecutorService executor;
    private final Set<TopicPartition> committed = new HashSet<>();

    private Batch(
            int size, int accepted, Map<TopicPartition, OffsetAndMetadata> nextOffsets, int keys) {
        this.size = size;
        this.accepted = accepted;
        this.nextOffsets = Map.copyOf(nextOffsets);
        this.keysLeft = new CountDownLatch(keys);
        this.recordsLeft = new AtomicInteger(accepted);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
    }

    /**
     * Groups the records {@code accept} takes by key and starts processing them; the others are
     * done at once (their offsets are committed with the batch's, nothing else happens to them).
     * {@code accept} runs on the calling (polling) thread, once per record.
     */
    public static Batch start(
            ConsumerRecords<String, byte[]> records,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler,
            int maxInFlight) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        int n = 0;
        int accepted = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            if (accept.test(r)) {
                // null keys have no order to keep; each gets its own lane of one
                String key =
                        r.key() == null ? "\u0000" + r.partition() + ":" + r.offset() : r.key();
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                accepted++;
            }
            next.merge(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
            n++;
        }
        Batch b = new Batch(n, accepted, next, byKey.size());
        Semaphore permits = new Semaphore(maxInFlight);
        for (List<ConsumerRecord<String, byte[]>> chain : byKey.values()) {
            b.executor.execute(() -> b.runChain(chain, handler, permits));
        }
        b.executor.shutdown();
        return b;
    }

    private void runChain(
            List<ConsumerRecord<String, byte[]>> chain, ChainHandler handler, Semaphore permits) {
        boolean acquired = false;
        try {
            permits.acquire();
            acquired = true;
            if (failure.get() != null) {
                return;
            }
            handler.handle(List.copyOf(chain));
            recordsLeft.addAndGet(-chain.size());
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            if (acquired) {
                permits.release();
            }
            keysLeft.countDown();
        }
    }

    /** Waits up to {@code timeout}; true when every key finished (successfully or not). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return keysLeft.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first failure of the handler, if any. */
    public @Nullable Throwable failure() {
        return failure.get();
    }

    public int size() {
        return size;
    }

    /** Records of the batch handed to the handler (the others were the other lane's). */
    public int accepted() {
        return accepted;
    }

    public int unfinished() {
        return recordsLeft.get();
    }

    /** For each partition of the batch, the offset after its last record. */
    public Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>(nextOffsets);
        synchronized (committed) {
            m.keySet().removeAll(committed);
        }
        return m;
    }

    public void markCommitted(Collection<TopicPartition> partitions) {
        synchronized (committed) {
            committed.addAll(partitions);
        }
    }

    /** Interrupts the key threads; the batch's offsets must not be committed afterwards. */
    public void abandon() {
        failure.compareAndSet(null, new InterruptedException("batch abandoned at shutdown"));
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "Batch[size="
                + size
                + ", left="
                + recordsLeft.get()
                + ", failure="
                + Objects.toString(failure.get())
                + "]";
    }
}
