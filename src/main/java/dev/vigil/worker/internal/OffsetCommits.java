package dev.vigil.worker.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a batch consumer commits and when: the offsets after the finished batches at the head of
 * {@link InFlight}, in poll order, with the {@link DeferredOffsets} of batches that held only the
 * other lane's records.
 *
 * <p>Not thread-safe: the polling thread owns it (rebalance callbacks run on that thread too).
 */
public final class OffsetCommits {
    private static final Logger log = LoggerFactory.getLogger(OffsetCommits.class);

    private final Consumer<String, byte[]> consumer;
    private final DeferredOffsets skipped;

    public OffsetCommits(Consumer<String, byte[]> consumer, Duration skippedEvery) {
        this.consumer = consumer;
        this.skipped = new DeferredOffsets(skippedEvery, System::nanoTime);
    }

    /**
     * Takes the oldest batches that finished from {@code inFlight} and commits the offsets after
     * them in {@code owned}, with the deferred ones of those partitions; when none of them held a
     * record of this lane, their offsets are deferred instead.
     *
     * @return the records of the batches taken
     */
    public long commitDone(InFlight inFlight, Collection<TopicPartition> owned) {
        List<Batch> done = inFlight.takeDone();
        if (done.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        long records = 0;
        int accepted = 0;
        for (Batch b : done) {
            // a partition revoked and assigned again may come back behind an older batch: the
            // older batch handled those records, so the later offset stands
            b.nextOffsets().forEach((tp, o) -> next.merge(tp, o, DeferredOffsets::later));
            accepted += b.accepted();
            records += b.size();
        }
        if (accepted == 0) {
            skipped.defer(next);
            commitSkippedIfDue();
            return records;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = skipped.with(next, owned);
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
        skipped.take(offsets.keySet());
        return records;
    }

    /** Commits the deferred offsets once the oldest of them has waited long enough. */
    public void commitSkippedIfDue() {
        if (skipped.due()) {
            skipped.retain(consumer.assignment());
            commitSkipped(consumer.assignment());
        }
    }

    /**
     * Commits the deferred offsets of {@code partitions} and forgets them. A refused commit is only
     * logged: those records are the other lane's, read and dropped again by the next owner.
     */
    public void commitSkipped(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = skipped.take(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | TimeoutException e) {
            log.info(
                    "offsets after the other lane's records of {} not committed ({}); they will be"
                            + " read and dropped again",
                    offsets.keySet(),
                    e.toString());
        }
    }
}
