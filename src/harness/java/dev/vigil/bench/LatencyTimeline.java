package dev.vigil.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Latencies by the second of the window in which their pushes were planned: where a tail comes
 * from. A p99 made by one stall shows as a few slow seconds in an otherwise flat line; a p99 made
 * by a system that is too slow shows as a rising line.
 *
 * @param seconds one entry per second of the window that planned a measured push, in order
 */
public record LatencyTimeline(List<Second> seconds) {

    /**
     * One second of the window.
     *
     * @param second seconds since the window opened
     * @param changes pushes planned in it that were measured
     * @param p99Ms their p99 latency
     * @param maxMs their largest latency
     * @param pushP99Ms the p99 of the push calls' share of it (planned time to the API's answer):
     *     what the intake added, the rest being the pipeline behind it
     */
    public record Second(int second, int changes, double p99Ms, double maxMs, double pushP99Ms) {}

    public LatencyTimeline {
        seconds = List.copyOf(seconds);
    }

    /**
     * The timeline of {@code samples}, each {planned offset from the window's start, latency, the
     * push call's share of it}, all in nanoseconds.
     */
    public static LatencyTimeline of(List<long[]> samples) {
        TreeMap<Integer, List<long[]>> bySecond = new TreeMap<>();
        for (long[] s : samples) {
            bySecond.computeIfAbsent((int) (s[0] / 1_000_000_000L), k -> new ArrayList<>()).add(s);
        }
        List<Second> out = new ArrayList<>(bySecond.size());
        bySecond.forEach(
                (second, in) -> {
                    List<Double> lat = millis(in, 1);
                    out.add(
                            new Second(
                                    second,
                                    lat.size(),
                                    Samples.percentile(lat, 99),
                                    Samples.percentile(lat, 100),
                                    Samples.percentile(millis(in, 2), 99)));
                });
        return new LatencyTimeline(out);
    }

    private static List<Double> millis(List<long[]> samples, int field) {
        return samples.stream().map(s -> s[field] / 1e6).toList();
    }

    /** The {@code n} seconds with the largest p99, slowest first. */
    public List<Second> slowest(int n) {
        return seconds.stream()
                .sorted(Comparator.comparingDouble(Second::p99Ms).reversed())
                .limit(n)
                .toList();
    }

    /** Seconds whose p99 is above {@code ms}. */
    public long secondsAbove(double ms) {
        return seconds.stream().filter(s -> s.p99Ms() > ms).count();
    }

    /** {second, p99 ms} points, for a chart. */
    public List<double[]> p99Points() {
        return seconds.stream().map(s -> new double[] {s.second(), s.p99Ms()}).toList();
    }

    /**
     * "12 s: p99 3.1 s, max 3.2 s, push call p99 40 ms (302 changes)" for each of the {@code n}
     * slowest seconds.
     */
    public String describeSlowest(int n) {
        return String.join(
                "; ",
                slowest(n).stream()
                        .map(
                                s ->
                                        String.format(
                                                "%d s: p99 %s, max %s, push call p99 %s"
                                                        + " (%d changes)",
                                                s.second(),
                                                ms(s.p99Ms()),
                                                ms(s.maxMs()),
                                                ms(s.pushP99Ms()),
                                                s.changes()))
                        .toList());
    }

    private static String ms(double ms) {
        return ms >= 1000 ? String.format("%.2f s", ms / 1000) : String.format("%.0f ms", ms);
    }
}
