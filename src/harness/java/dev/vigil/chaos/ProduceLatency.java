package dev.vigil.chaos;

import java.time.Duration;
import java.util.Arrays;

/**
 * What a Kafka broker's crash did to producers: the latency of the probe's {@code acks=all} sends
 * (send to acknowledgement, one every 100 ms round the probe topic's partitions, every one of which
 * has a replica on each broker) in three windows around the fault.
 *
 * @param before sends in the 30 s before the SIGKILL
 * @param during sends in the 30 s from the SIGKILL on: the spike, while the controller notices the
 *     crash (the broker's session times out), elects new leaders and shrinks the ISRs
 * @param after sends in the 30 s from the broker's return on (it catches up as a follower)
 */
public record ProduceLatency(Window before, Window during, Window after) {

    /** How long each window lasts. */
    public static final Duration WINDOW = Duration.ofSeconds(30);

    /**
     * The acknowledged sends of one window.
     *
     * @param sends sends made in the window and acknowledged by the time it was measured
     * @param failed sends made in the window that failed (none with a delivery timeout of 2 min)
     */
    public record Window(int sends, int failed, Duration p50, Duration p99, Duration max) {

        /** The window of these latencies (in nanoseconds; sorted here) and failures. */
        public static Window of(long[] latencyNanos, int failed) {
            if (latencyNanos.length == 0) {
                return new Window(0, failed, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            }
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            return new Window(
                    sorted.length,
                    failed,
                    Duration.ofNanos(rank(sorted, 0.50)),
                    Duration.ofNanos(rank(sorted, 0.99)),
                    Duration.ofNanos(sorted[sorted.length - 1]));
        }

        /** The nearest-rank percentile {@code q} of ascending {@code sorted}. */
        private static long rank(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.clamp(i, 0, sorted.length - 1)];
        }
    }
}
