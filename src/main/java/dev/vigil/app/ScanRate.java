package dev.vigil.app;

import java.util.ArrayDeque;

/**
 * Scans per second over a sliding window of samples: what the demo's progress line shows. A
 * one-second sample printed every five seconds (the line's old rate) often read 0 between bursts of
 * the scheduler's pacing; the average over the window the line stands for does not.
 *
 * <p>Not thread-safe: one progress loop owns it.
 */
final class ScanRate {

    private record Sample(long nanos, long scans) {}

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /**
     * @param windowNanos how far back the average reaches
     */
    ScanRate(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Records {@code scans} done by {@code nanos}; returns the average rate over the window. */
    double add(long nanos, long scans) {
        samples.addLast(new Sample(nanos, scans));
        while (samples.size() > 2 && nanos - samples.getFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        Sample first = samples.getFirst();
        long span = nanos - first.nanos();
        return span <= 0 ? 0 : (scans - first.scans()) / (span / 1e9);
    }
}
