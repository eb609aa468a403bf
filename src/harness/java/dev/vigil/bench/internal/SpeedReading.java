package dev.vigil.bench.internal;

import dev.vigil.bench.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How fast this machine runs one thread at a given moment: a fixed workload (a pseudo-random walk
 * that reads and writes 8 MiB, so the core and its memory both count) timed by the calling thread's
 * CPU time and by the wall clock; lower is faster. The same build ran a third slower or faster from
 * one benchmark run to the next on the shared 2-core machine, and the guest reports no steal time
 * (docs/perf/2026-12-07-episodes-per-statement.md); a reading before each scenario and one at the
 * end let a report say whether its host was slow that run. More CPU time for the same work is a
 * slower or shared core; wall time above the CPU time is time the thread waited for a core.
 *
 * @param when the moment, for the report ("before pipeline", "at the end")
 * @param cpuMillis CPU milliseconds of one pass (median of the passes)
 * @param wallMillis wall milliseconds of one pass (median of the passes)
 */
public record SpeedReading(String when, double cpuMillis, double wallMillis) {

    /** Slots of the walked table: 8 MiB of longs, beyond a core's own caches. */
    static final int SLOTS = 1 << 20;

    /** Steps of one pass: some tens of milliseconds. */
    static final int STEPS = 16_000_000;

    /** Measured passes; two unmeasured ones come first, so the loop runs compiled. */
    static final int PASSES = 3;

    // where each pass's result goes, so the JIT cannot drop the walk; written, never read
    @SuppressWarnings("UnusedVariable")
    private static volatile long sink;

    /**
     * Takes a reading on the calling thread (5 passes of some tens of milliseconds each).
     *
     * @throws IllegalStateException on a thread whose CPU time cannot be read (a virtual thread)
     */
    public static SpeedReading take(String when) {
        ThreadCpu.nanos("a speed reading");
        long[] table = new long[SLOTS];
        List<Double> cpu = new ArrayList<>(PASSES);
        List<Double> wall = new ArrayList<>(PASSES);
        for (int p = -2; p < PASSES; p++) {
            long c0 = ThreadCpu.nanos("a speed reading");
            long w0 = System.nanoTime();
            sink = walk(table, p);
            long w = System.nanoTime() - w0;
            long c = ThreadCpu.nanos("a speed reading") - c0;
            if (p >= 0) {
                cpu.add(c / 1e6);
                wall.add(w / 1e6);
            }
        }
        return new SpeedReading(when, Samples.median(cpu), Samples.median(wall));
    }

    /** The workload: {@link #STEPS} xorshift steps, each reading and writing one slot. */
    static long walk(long[] table, long seed) {
        long x = 0x9E3779B97F4A7C15L ^ seed;
        long acc = 0;
        int mask = table.length - 1;
        for (int i = 0; i < STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            int j = (int) (x & mask);
            acc += table[j];
            table[j] = acc ^ x;
        }
        return acc;
    }

    /** {@code before pipeline 41.2 / 43.0 ms} for the report. */
    public String markdown() {
        return String.format(Locale.ROOT, "%s %.1f / %.1f ms", when, cpuMillis, wallMillis);
    }
}
