package dev.vigil.worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a worker's scans spend their time, for benchmarks and diagnosis: the latency from the
 * scheduler's request to the acknowledged result ({@link #endToEnd()}, includes time queued in
 * Kafka), the latency from the start of processing to the acknowledged result ({@link
 * #processing()}), and the total time spent in each stage. Thread-safe.
 */
public final class ScanTimings {
    private final LatencyHistogram endToEnd = new LatencyHistogram();
    private final LatencyHistogram processing = new LatencyHistogram();
    private final AtomicLong fetchNanos = new AtomicLong();
    private final AtomicLong evaluateNanos = new AtomicLong();
    private final AtomicLong submitNanos = new AtomicLong();

    /** Requested (by the scheduler) to stored (acknowledged by the results API). */
    public LatencyHistogram endToEnd() {
        return endToEnd;
    }

    /** Taken off the batch to stored. */
    public LatencyHistogram processing() {
        return processing;
    }

    /** Stage totals so far. */
    public Stages stages() {
        return new Stages(fetchNanos.get(), evaluateNanos.get(), submitNanos.get());
    }

    void addFetch(long nanos) {
        fetchNanos.addAndGet(nanos);
    }

    void addEvaluate(long nanos) {
        evaluateNanos.addAndGet(nanos);
    }

    void addSubmit(long nanos) {
        submitNanos.addAndGet(nanos);
    }

    /** Wall-clock nanoseconds summed over all scans (concurrent scans overlap). */
    public record Stages(long fetchNanos, long evaluateNanos, long submitNanos) {
        public Stages minus(Stages earlier) {
            return new Stages(
                    fetchNanos - earlier.fetchNanos,
                    evaluateNanos - earlier.evaluateNanos,
                    submitNanos - earlier.submitNanos);
        }
    }
}
