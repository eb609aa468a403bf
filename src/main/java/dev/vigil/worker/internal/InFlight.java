package dev.vigil.worker.internal;

import dev.vigil.worker.ChainHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jspecify.annotations.Nullable;

/**
 * The batches one consumer has started and not yet committed, oldest first, and what their key
 * threads share: the permits that bound how many keys run at once, and the tail of each key's
 * chain, so a key's records in a newer batch wait for its records in an older one.
 *
 * <p>Why more than one batch: a batch is committed only when its last record is done, and one
 * record of a polled batch may take seconds (a slow config fetch). With one batch at a time the
 * consumer idled behind it while every other record of the batch was long done; in {@code vigil
 * bench pipeline} four consumers of 500-record batches topped out near 1,100 scans/s with a core
 * idle, each batch as long as its slowest fetch. Newer batches now run while an older one finishes
 * its stragglers; offsets are still committed in poll order, never past an unfinished record.
 *
 * <p>Thread-safety: the deque and the byte count belong to the polling thread; the permits, the
 * tails and the failure are shared with key threads.
 */
public final class InFlight {
    private final Deque<Batch> batches = new ArrayDeque<>();
    private final int maxBatches;
    private final long maxBytes;
    private long bytes;

    /** Fair, so an older batch's keys, queued first, get permits before a newer one's. */
    final Semaphore permits;

    /** Per key, the latch its newest chain counts down when done (removed by that chain). */
    final ConcurrentHashMap<String, CountDownLatch> tails = new ConcurrentHashMap<>();

    /** The first failure of any batch: a later batch's key must not run past it. */
    final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

    /**
     * How many times the consumer's whole assignment was revoked: a chain of a batch polled before
     * the latest revocation does not start ({@link #handBack}).
     */
    private final AtomicInteger revocations = new AtomicInteger();

    /**
     * @param maxInFlight keys processed at once, over every batch in flight
     * @param maxBatches batches in flight at most before the consumer stops polling for more
     * @param maxBytes record values held by the batches in flight at most before the consumer stops
     *     polling for more (one batch is always allowed, however large)
     */
    public InFlight(int maxInFlight, int maxBatches, long maxBytes) {
        this.permits = new Semaphore(maxInFlight, true);
        this.maxBatches = maxBatches;
        this.maxBytes = maxBytes;
    }

    /** Starts a batch of {@code records} behind the ones in flight. */
    public Batch start(
            ConsumerRecords<String, byte[]> records,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler) {
        Batch b = Batch.start(records, accept, handler, this);
        batches.addLast(b);
        bytes += b.bytes();
        return b;
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    /** True when no other batch may start until the oldest is done. */
    public boolean full() {
        return batches.size() >= maxBatches || (bytes >= maxBytes && !batches.isEmpty());
    }

    /** The first failure of a handler in any batch in flight, or null. */
    public @Nullable Throwable failure() {
        return failure.get();
    }

    /**
     * Removes and returns the batches at the head that finished without a failure, oldest first, up
     * to the first one still running, failed or handed back.
     */
    public List<Batch> takeDone() {
        List<Batch> done = new ArrayList<>();
        while (!batches.isEmpty()) {
            Batch b = batches.getFirst();
            if (!b.isDone() || b.failure() != null || b.handedBack()) {
                break;
            }
            batches.removeFirst();
            bytes -= b.bytes();
            done.add(b);
        }
        return done;
    }

    /** Waits up to {@code timeout} for the oldest batch; true when it is done (or none runs). */
    public boolean awaitOldest(Duration timeout) throws InterruptedException {
        Batch b = batches.peekFirst();
        return b == null || b.awaitDone(timeout);
    }

    /** Waits up to {@code timeout} for every batch in flight; true when all are done. */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Batch b : batches) {
            long left = deadline - System.nanoTime();
            if (!b.awaitDone(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    int revocations() {
        return revocations.get();
    }

    /**
     * The consumer's whole assignment is being revoked: from now on no chain of the batches in
     * flight starts (those running finish). Their records go back uncommitted with the partitions,
     * to be consumed again by their next owner, so the revocation waits for the chains running, not
     * for every record polled: with a backlog, a member that held every partition kept a rebalance
     * waiting ~17 s for thousands of queued scans ({@code vigil bench pipeline}, roles apart, on 2
     * cores). Afterwards: {@link #awaitAll}, commit what {@link #takeDone} gives, then {@link
     * #forgetRest}.
     */
    public void handBack() {
        revocations.incrementAndGet();
    }

    /**
     * Forgets every batch still in flight, uncommitted (after {@link #handBack}, once the done ones
     * at the head were committed); chains still running finish in the background.
     *
     * @return the records of those batches not handled
     */
    public int forgetRest() {
        int left = unfinished();
        batches.clear();
        bytes = 0;
        return left;
    }

    /** Records of the batches in flight not yet handled. */
    public int unfinished() {
        int n = 0;
        for (Batch b : batches) {
            n += b.unfinished();
        }
        return n;
    }

    /** Interrupts every batch in flight and forgets them; none of them may be committed. */
    public void abandonAll() {
        failure.compareAndSet(null, new InterruptedException("batches abandoned"));
        for (Batch b : batches) {
            b.abandon();
        }
        batches.clear();
        bytes = 0;
    }

    @Override
    public String toString() {
        return "InFlight[batches=" + batches.size() + ", bytes=" + bytes + "]";
    }
}
