package dev.vigil.worker.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets a consumer owes a commit but may send later: those after batches that held only the other
 * lane's records. They are committed with the next batch of the lane's own work, or once the oldest
 * has waited {@code every}, or when their partitions are revoked or the consumer closes.
 *
 * <p>Not thread-safe: the polling thread owns it (rebalance callbacks run on that thread too).
 */
public final class DeferredOffsets {
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final long everyNanos;
    private final LongSupplier nanoClock;
    private long since;

    public DeferredOffsets(Duration every, LongSupplier nanoClock) {
        this.everyNanos = every.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Adds a batch's offsets; a partition's later offset replaces its earlier one. */
    public void defer(Map<TopicPartition, OffsetAndMetadata> next) {
        if (offsets.isEmpty()) {
            since = nanoClock.getAsLong();
        }
        next.forEach((tp, o) -> offsets.merge(tp, o, DeferredOffsets::later));
    }

    /** True when something is deferred and the oldest of it has waited long enough. */
    public boolean due() {
        return !offsets.isEmpty() && nanoClock.getAsLong() - since >= everyNanos;
    }

    /**
     * {@code next} (a batch's offsets, to be committed now) with the deferred offsets of {@code
     * partitions} merged in, each partition's later offset kept; only partitions in {@code
     * partitions}.
     */
    public Map<TopicPartition, OffsetAndMetadata> with(
            Map<TopicPartition, OffsetAndMetadata> next, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>(offsets);
        next.forEach((tp, o) -> m.merge(tp, o, DeferredOffsets::later));
        m.keySet().retainAll(partitions);
        return m;
    }

    /**
     * Removes and returns the deferred offsets of {@code partitions}; those of other partitions
     * stay. Call it when they were committed, or when the partitions moved away (never commit an
     * offset of a partition owned since by another member: it may be behind what that member
     * committed).
     */
    public Map<TopicPartition, OffsetAndMetadata> take(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>(offsets);
        m.keySet().retainAll(partitions);
        offsets.keySet().removeAll(partitions);
        return m;
    }

    /** Forgets the offsets of partitions the consumer no longer owns. */
    public void retain(Collection<TopicPartition> owned) {
        offsets.keySet().retainAll(owned);
    }

    public boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** Of two offsets for one partition, the later: the one a commit may move to. */
    static OffsetAndMetadata later(OffsetAndMetadata a, OffsetAndMetadata b) {
        return a.offset() >= b.offset() ? a : b;
    }
}
