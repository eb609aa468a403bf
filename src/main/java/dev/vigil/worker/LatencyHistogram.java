package dev.vigil.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of durations in microseconds with about 3 % precision (log-linear buckets:
 * exact below 64 µs, then 32 buckets per power of two), for percentiles of scan latencies without
 * keeping every sample. Record from any thread; {@link #snapshot()} and {@link Snapshot#minus} give
 * the percentiles of a window.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int SUB_BITS = 5;
    private static final int BUCKETS = LINEAR + (64 - 6) * (1 << SUB_BITS);

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one duration (negative ones count as zero). */
    public void record(Duration d) {
        recordMicros(d.toNanos() / 1000);
    }

    public void recordMicros(long micros) {
        counts.incrementAndGet(index(Math.max(0, micros)));
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v); // >= 6
        int sub = (int) ((v >>> (e - SUB_BITS)) & ((1 << SUB_BITS) - 1));
        return LINEAR + (e - 6) * (1 << SUB_BITS) + sub;
    }

    /** The smallest value of bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int e = (i - LINEAR) / (1 << SUB_BITS) + 6;
        int sub = (i - LINEAR) % (1 << SUB_BITS);
        return (1L << e) | ((long) sub << (e - SUB_BITS));
    }

    /** The counts so far (not atomic across buckets; good enough for a running window). */
    public Snapshot snapshot() {
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(c);
    }

    /** Immutable counts of a histogram. */
    public static final class Snapshot {
        private final long[] counts;

        private Snapshot(long[] counts) {
            this.counts = counts;
        }

        /** The samples recorded after {@code earlier} was taken. */
        public Snapshot minus(Snapshot earlier) {
            long[] c = new long[counts.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(c);
        }

        /** The samples of both. */
        public Snapshot plus(Snapshot other) {
            long[] c = new long[counts.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[i] + other.counts[i];
            }
            return new Snapshot(c);
        }

        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /**
         * The value at quantile {@code q} (0..1), as the lower bound of its bucket; zero when
         * empty.
         */
        public Duration percentile(double q) {
            long n = count();
            if (n == 0) {
                return Duration.ZERO;
            }
            long rank = Math.max(1, (long) Math.ceil(q * n));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Duration.ofNanos(lowerBound(i) * 1000);
                }
            }
            return Duration.ofNanos(lowerBound(counts.length - 1) * 1000);
        }
    }
}
