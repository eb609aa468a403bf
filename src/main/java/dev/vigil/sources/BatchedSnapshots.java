package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.sources.SnapshotBatchClient.Answer;
import dev.vigil.sources.SnapshotBatchClient.Wanted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exact versions of pushed documents, with concurrent reads coalesced into one batch call: the
 * records of one polled batch run at once on virtual threads, so the fetches they start within
 * {@code linger} of the first go out together (at most {@code maxItems} a call; one call in flight,
 * the next gathering meanwhile). A version the batch answers 404 for is a {@link
 * PermanentSourceException}, as the single route's 404; one it did not include (413, its answer
 * full) is fetched alone, and so is every version when the batch call fails permanently (an API
 * without the batch route). A batch call failing retriably fails each of its reads retriably.
 * Thread-safe.
 */
public final class BatchedSnapshots {

    /** Reads several versions in one call: {@link SnapshotBatchClient#fetch}. */
    @FunctionalInterface
    public interface Batch {
        Map<Wanted, Answer> fetch(List<Wanted> wanted);
    }

    /** Reads one version alone: {@link SnapshotConfigSource#fetch(Target, long)}. */
    @FunctionalInterface
    public interface Single {
        ConfigDocument fetch(Target target, long version);
    }

    /** Default wait for more reads after the first of a batch. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(3);

    /** Default most versions one call asks for. */
    public static final int DEFAULT_MAX_ITEMS = 32;

    private record Pending(Wanted wanted, CompletableFuture<Answer> answer) {}

    private final Batch batch;
    private final Single single;
    private final long lingerNanos;
    private final int maxItems;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition full = lock.newCondition();
    private final List<Pending> queue = new ArrayList<>();
    private boolean leading;

    public BatchedSnapshots(Batch batch, Single single, Duration linger, int maxItems) {
        if (maxItems < 1 || linger.isNegative()) {
            throw new IllegalArgumentException(
                    "a batch needs at least 1 item and a linger of at least 0; got "
                            + maxItems
                            + " and "
                            + linger);
        }
        this.batch = batch;
        this.single = single;
        this.lingerNanos = linger.toNanos();
        this.maxItems = maxItems;
    }

    /** Version {@code version} of the target's pushed document. */
    public ConfigDocument fetch(Target target, long version) {
        long began = System.nanoTime();
        Pending p = new Pending(new Wanted(target.targetId(), version), new CompletableFuture<>());
        boolean lead;
        lock.lock();
        try {
            queue.add(p);
            lead = !leading;
            leading = true;
            if (queue.size() >= maxItems) {
                full.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            Thread.ofVirtual().name("snapshot-batch").start(this::lead);
        }
        Answer a = await(target, p.answer());
        return switch (a) {
            case Answer.Found f ->
                    new ConfigDocument(
                            target,
                            f.json(),
                            Instant.now(),
                            Duration.ofNanos(System.nanoTime() - began));
            case Answer.Missing m when m.status() == 404 ->
                    throw new PermanentSourceException(
                            target.targetId(),
                            "config fetch for target "
                                    + target.targetId()
                                    + " v"
                                    + version
                                    + " (batch) failed: status 404: "
                                    + m.detail(),
                            null);
            case Answer.Missing m -> single.fetch(target, version);
        };
    }

    private Answer await(Target target, CompletableFuture<Answer> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSourceException(
                    target.targetId(), "interrupted waiting for a batch snapshot fetch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RetriableSourceException r) {
                throw new RetriableSourceException(
                        target.targetId(), String.valueOf(r.getMessage()), r);
            }
            throw new PermanentSourceException(
                    target.targetId(), String.valueOf(cause.getMessage()), cause);
        }
    }

    /** Gathers for the linger, then sends batches until nothing waits. */
    private void lead() {
        lock.lock();
        try {
            long left = lingerNanos;
            while (queue.size() < maxItems && left > 0) {
                left = full.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        // Until nothing waits; should a round die of an Error, the next read leads anew.
        while (true) {
            List<Pending> round;
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    leading = false;
                    return;
                }
                int n = Math.min(maxItems, queue.size());
                round = new ArrayList<>(queue.subList(0, n));
                queue.subList(0, n).clear();
            } finally {
                lock.unlock();
            }
            try {
                send(round);
            } catch (Error e) {
                lock.lock();
                try {
                    leading = false;
                } finally {
                    lock.unlock();
                }
                throw e;
            }
        }
    }

    private void send(List<Pending> round) {
        try {
            answer(round);
        } finally {
            // Whatever escaped (an Error): no read may wait forever. A no-op for answered ones.
            IllegalStateException none =
                    new IllegalStateException("the batch snapshot fetch ended without an answer");
            round.forEach(p -> p.answer().completeExceptionally(none));
        }
    }

    private void answer(List<Pending> round) {
        List<Wanted> wanted =
                new ArrayList<>(new LinkedHashSet<>(round.stream().map(Pending::wanted).toList()));
        Map<Wanted, Answer> answers;
        try {
            answers = batch.fetch(wanted);
        } catch (PermanentSourceException e) {
            // e.g. an API without the batch route: each read falls back to a fetch of its own
            Answer alone = new Answer.Missing(0, String.valueOf(e.getMessage()));
            round.forEach(p -> p.answer().complete(alone));
            return;
        } catch (RuntimeException e) {
            round.forEach(p -> p.answer().completeExceptionally(e));
            return;
        }
        for (Pending p : round) {
            Answer a = answers.get(p.wanted());
            p.answer().complete(a != null ? a : new Answer.Missing(0, "not in the batch answer"));
        }
    }

    @Override
    public String toString() {
        return "BatchedSnapshots[linger "
                + TimeUnit.NANOSECONDS.toMillis(lingerNanos)
                + " ms, up to "
                + maxItems
                + " a call]";
    }
}
