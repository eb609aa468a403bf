package dev.vigil.worker.internal;

import dev.vigil.worker.ChainHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * {@link ChainHandler}, after the key's records in older batches ({@link InFlight}'s tails); the
 * shared permits bound how many keys run at once, and a latch tells when every key is done.
 *
 * <p>Thread-safe: the polling thread waits and reads offsets; key threads count down.
 */
public final class Batch {
    private final int size;
    private final int accepted;
    private final long bytes;
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;
    private final CountDownLatch keysLeft;
    private final AtomicInteger recordsLeft;
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final ExecutorService executor;

    /** {@link InFlight}'s revocation count when the batch was polled. */
    private final int revocation;

    /** True once a chain skipped its records because the partitions were revoked before it ran. */
    private volatile boolean handedBack;

    private Batch(
            int size,
            int accepted,
            long bytes,
            Map<TopicPartition, OffsetAndMetadata> nextOffsets,
            int keys,
            int revocation) {
        this.size = size;
        this.accepted = accepted;
        this.bytes = bytes;
        this.nextOffsets = Map.copyOf(nextOffsets);
        this.keysLeft = new CountDownLatch(keys);
        this.recordsLeft = new AtomicInteger(accepted);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.revocation = revocation;
    }

    /**
     * Groups the records {@code accept} takes by key and starts processing them; the others are
     * done at once (their offsets are committed with the batch's, nothing else happens to them).
     * {@code accept} runs on the calling (polling) thread, once per record.
     */
    static Batch start(
            ConsumerRecords<String, byte[]> records,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler,
            InFlight shared) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        int n = 0;
        int accepted = 0;
        long bytes = 0;
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
                    DeferredOffsets::later);
            bytes += r.value() == null ? 0 : r.value().length;
            n++;
        }
        Batch b = new Batch(n, accepted, bytes, next, byKey.size(), shared.revocations());
        for (Map.Entry<String, List<ConsumerRecord<String, byte[]>>> e : byKey.entrySet()) {
            // registered here, on the polling thread, so a key's chains queue in poll order
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch before = shared.tails.put(e.getKey(), mine);
            b.executor.execute(
                    () -> b.runChain(e.getKey(), e.getValue(), handler, shared, before, mine));
        }
        b.executor.shutdown();
        return b;
    }

    private void runChain(
            String key,
            List<ConsumerRecord<String, byte[]>> chain,
            ChainHandler handler,
            InFlight shared,
            @Nullable CountDownLatch before,
            CountDownLatch mine) {
        boolean acquired = false;
        try {
            if (before != null) {
                before.await();
            }
            if (revokedSincePolled(shared)) {
                return;
            }
            shared.permits.acquire();
            acquired = true;
            Throwable earlier = shared.failure.get();
            if (earlier != null) {
                // this batch must not be committed: its chain did not run
                failure.compareAndSet(
                        null, new IllegalStateException("an earlier batch failed", earlier));
                return;
            }
            if (revokedSincePolled(shared)) {
                return;
            }
            handler.handle(List.copyOf(chain));
            recordsLeft.addAndGet(-chain.size());
        } catch (InterruptedException e) {
            fail(e, shared);
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(e, shared);
        } finally {
            if (acquired) {
                shared.permits.release();
            }
            mine.countDown();
            shared.tails.remove(key, mine);
            keysLeft.countDown();
        }
    }

    /**
     * True, and the batch marked as handed back, when the consumer's partitions were revoked after
     * this batch was polled: the chain must not start, its records go uncommitted to the
     * partitions' next owner (a key's later chains skip too, so its order holds).
     */
    private boolean revokedSincePolled(InFlight shared) {
        if (shared.revocations() == revocation) {
            return false;
        }
        handedBack = true;
        return true;
    }

    private void fail(Throwable e, InFlight shared) {
        failure.compareAndSet(null, e);
        shared.failure.compareAndSet(null, e);
    }

    /** Waits up to {@code timeout}; true when every key finished (successfully or not). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return keysLeft.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isDone() {
        return keysLeft.getCount() == 0;
    }

    /**
     * True when some of the batch's records were skipped at a revocation: it must never be
     * committed, nor any batch after it.
     */
    boolean handedBack() {
        return handedBack;
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

    /** The record values' bytes, for {@link InFlight}'s bound. */
    long bytes() {
        return bytes;
    }

    public int unfinished() {
        return recordsLeft.get();
    }

    /** For each partition of the batch, the offset after its last record. */
    public Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
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
