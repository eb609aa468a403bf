package dev.vigil.results;

import dev.vigil.telemetry.Traced;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * Group commit on the worker's side (issue 20): the scans of a polled batch run on virtual threads
 * at once, and each hands its result to {@link #submit}, which blocks until the API stored it, as
 * {@link ResultsClient#submit} does. Meanwhile results from concurrent callers are gathered for up
 * to {@code linger} (or until {@code maxBatch} are waiting) and sent in one call ({@link
 * ResultsClient#submitAll}), which the API applies in one transaction. Each caller learns its own
 * result's fate: a result the API refused alone fails only its caller; a failed call fails every
 * caller of the batch with the same retriable error, and each retries on its own. So the consumer
 * still commits its offsets only after every scan of its batch is stored.
 *
 * <p>At most {@code maxCalls} calls are in flight at once: a batch whose linger has passed while
 * that many calls run stays open, gathering results, until one returns. Under load the batches so
 * grow with the API's own latency instead of becoming many small calls that queue for the API's
 * database connections (a fixed linger alone gave about seven results per call at 1,500 scans/s).
 *
 * <p>Results with more than {@link ResultsClient#BUFFERED_FINDINGS} findings go alone through the
 * streamed call (the API's COPY path). Tracing: each caller's wait is a span {@code submit result}
 * in its scan's trace; the call is a child of the sender's and is linked to the others', so every
 * scan's trace leads to the call (and the API's write) that stored it. Thread-safe.
 */
public final class ResultBatcher {

    private final ResultsClient client;
    private final int maxBatch;
    private final Duration linger;
    private final Semaphore calls;
    private final Object lock = new Object();
    private List<Waiting> open = new ArrayList<>();
    private long generation;

    private record Waiting(
            ScanResult result, CompletableFuture<@Nullable Void> done, SpanContext span) {}

    /**
     * @param maxBatch results per call at most; 1 sends each result alone (no batching)
     * @param linger how long the first result of a batch waits for others
     * @param maxCalls calls in flight at once at most
     */
    public ResultBatcher(ResultsClient client, int maxBatch, Duration linger, int maxCalls) {
        if (maxBatch < 1 || linger.isNegative() || maxCalls < 1) {
            throw new IllegalArgumentException(
                    "batch size and calls must be >= 1 and linger >= 0, got "
                            + maxBatch
                            + ", "
                            + maxCalls
                            + " and "
                            + linger);
        }
        this.client = client;
        this.maxBatch = maxBatch;
        this.linger = linger;
        this.calls = new Semaphore(maxCalls, true);
    }

    /**
     * Sends {@code result} with whatever other results arrive meanwhile; returns when the API has
     * applied it (or ignored it as replayed or superseded).
     *
     * @throws RetriableResultsException when the call failed as a whole
     * @throws PermanentResultsException when the API refused this result
     */
    public void submit(ScanResult result) {
        if (maxBatch == 1 || result.findings().size() > ResultsClient.BUFFERED_FINDINGS) {
            client.submit(result);
            return;
        }
        try (Traced t = client.tracing().open("submit result", SpanKind.INTERNAL)) {
            t.span().setAttribute("vigil.scan_id", result.scanId().toString());
            t.span().setAttribute("vigil.target_id", result.targetId());
            try {
                gather(new Waiting(result, new CompletableFuture<>(), t.span().getSpanContext()));
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private void gather(Waiting me) {
        List<Waiting> full = null;
        boolean leader;
        long mine;
        synchronized (lock) {
            open.add(me);
            leader = open.size() == 1;
            mine = generation;
            if (open.size() >= maxBatch) {
                full = take();
            }
        }
        if (full != null) {
            sendHolding(acquireCall(), full);
        } else if (leader) {
            lingerThenSend(mine);
        }
        await(me);
    }

    /** The open batch, replaced by a new one; wakes its lingering leader. Call holding the lock. */
    private List<Waiting> take() {
        List<Waiting> b = open;
        open = new ArrayList<>();
        generation++;
        lock.notifyAll();
        return b;
    }

    /**
     * The leader of batch {@code gen} waits until the batch is taken (it filled up) or {@code
     * linger} passed, then for a call slot while the batch keeps gathering, and then sends it.
     */
    private void lingerThenSend(long gen) {
        long deadline = System.nanoTime() + linger.toNanos();
        synchronized (lock) {
            try {
                while (generation == gen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    lock.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (generation != gen) {
                return; // it filled up: whoever filled it sends it
            }
        }
        boolean slot = acquireCall();
        List<Waiting> batch = null;
        synchronized (lock) {
            if (generation == gen) {
                batch = take();
            }
        }
        sendHolding(slot, batch);
    }

    /**
     * Sends {@code batch} (none when null: another thread took it) and then gives back the call
     * slot the caller took, if it got one.
     */
    private void sendHolding(boolean slot, @Nullable List<Waiting> batch) {
        try {
            if (batch != null) {
                send(batch);
            }
        } finally {
            if (slot) {
                calls.release();
            }
        }
    }

    /** Waits for a call slot; false when interrupted (the call then goes without one). */
    private boolean acquireCall() {
        try {
            calls.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(List<Waiting> batch) {
        List<ScanResult> results = new ArrayList<>(batch.size());
        List<SpanContext> links = new ArrayList<>(batch.size());
        SpanContext sender = Span.current().getSpanContext();
        for (Waiting w : batch) {
            results.add(w.result());
            if (!w.span().equals(sender)) {
                links.add(w.span());
            }
        }
        try {
            List<@Nullable PermanentResultsException> refused = client.submitAll(results, links);
            for (int i = 0; i < batch.size(); i++) {
                PermanentResultsException e = refused.get(i);
                if (e == null) {
                    batch.get(i).done().complete(null);
                } else {
                    batch.get(i).done().completeExceptionally(e);
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(w -> w.done().completeExceptionally(e));
        }
    }

    private static void await(Waiting w) {
        try {
            w.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableResultsException(
                    "interrupted while waiting for scan " + w.result().scanId() + " to be stored",
                    e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RetriableResultsException(
                    "sending scan " + w.result().scanId() + " failed: " + e.getCause(), e);
        }
    }
}
