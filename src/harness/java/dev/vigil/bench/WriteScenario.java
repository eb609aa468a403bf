package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.Samples.median;

import dev.vigil.bench.internal.BenchFindings;
import dev.vigil.bench.internal.SteadyWrites;
import dev.vigil.bench.internal.WriteRig;
import dev.vigil.bench.internal.WriteRig.Method;
import dev.vigil.results.ResultFinding;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario {@code write} (issue 9, point 3): one results call of growing size through HTTP into
 * PostgreSQL with the hybrid writer, beside the always-unnest and always-COPY writers, the per-row
 * writer and raw COPY; then the measured crossover between unnest and COPY beside the threshold the
 * writer uses.
 */
public final class WriteScenario {

    /**
     * How much to measure.
     *
     * @param naiveSample the per-row writer runs at most this many rows; larger sizes are
     *     extrapolated from its rate
     * @param steadyRounds rescans of each of the steady targets per way (100 targets)
     */
    public record Settings(
            List<Integer> sizes,
            int reps,
            int naiveSample,
            List<Integer> crossoverSizes,
            int crossoverReps,
            int steadyRounds) {

        public static Settings full() {
            return new Settings(
                    List.of(10, 1_000, 100_000, 500_000),
                    3,
                    20_000,
                    List.of(250, 500, 1_000, 2_000, 5_000, 10_000, 20_000),
                    5,
                    10);
        }

        /**
         * The CI run: every way and path (10,000 findings take the COPY path); its figures are
         * indicative only. About 65 s on two cores, of which the per-row writer's steady rescans
         * take 25 s (its warm-up rescan of 100 targets included; one round instead of three saved
         * only 3 s).
         */
        public static Settings quick() {
            return new Settings(
                    List.of(10, 1_000, 10_000), 3, 1_000, List.of(250, 2_000, 10_000), 3, 3);
        }
    }

    static final List<Method> CALL_METHODS =
            List.of(
                    Method.HYBRID,
                    Method.UNNEST,
                    Method.COPY,
                    Method.NAIVE,
                    Method.RAW_INDEXED,
                    Method.RAW_AUDITED,
                    Method.RAW_BARE);

    private final Settings settings;
    private final PrintStream log;

    public WriteScenario(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when any write fails or stores fewer rows than it was given
     */
    public ScenarioReport run() {
        try (WriteRig rig = new WriteRig()) {
            warmUp(rig);
            Map<Integer, Map<Method, Double>> seconds = new java.util.LinkedHashMap<>();
            Map<Integer, Boolean> extrapolated = new java.util.LinkedHashMap<>();
            Double naiveRate = null;
            int largest = settings.sizes().getLast();
            Map<Method, List<WriteRig.Cpu>> largestCalls = new EnumMap<>(Method.class);
            for (int size : settings.sizes()) {
                List<ResultFinding> rows = BenchFindings.of(size);
                Map<Method, List<Double>> runs = new EnumMap<>(Method.class);
                boolean sampleNaive = size > settings.naiveSample();
                for (int rep = 0; rep < settings.reps(); rep++) {
                    for (int i = 0; i < CALL_METHODS.size(); i++) {
                        Method m = CALL_METHODS.get((i + rep) % CALL_METHODS.size());
                        if (m == Method.NAIVE && sampleNaive) {
                            continue;
                        }
                        if (size >= 10_000) {
                            rig.reset();
                        }
                        runs.computeIfAbsent(m, k -> new ArrayList<>()).add(rig.time(m, rows));
                        if (size == largest) {
                            largestCalls
                                    .computeIfAbsent(m, k -> new ArrayList<>())
                                    .add(rig.lastCpu());
                        }
                    }
                }
                Map<Method, Double> med = new EnumMap<>(Method.class);
                runs.forEach((m, v) -> med.put(m, median(v)));
                if (sampleNaive) {
                    if (naiveRate == null) {
                        naiveRate = naiveSampleRate(rig);
                    }
                    med.put(Method.NAIVE, size / naiveRate);
                }
                extrapolated.put(size, sampleNaive);
                seconds.put(size, med);
                log.printf(
                        "bench write: %,d findings: hybrid %s rows/s, raw COPY (indexed) %s rows/s,"
                                + " raw COPY with the audit rows %s rows/s%n",
                        size,
                        count(size / get(med, Method.HYBRID)),
                        count(size / get(med, Method.RAW_INDEXED)),
                        count(size / get(med, Method.RAW_AUDITED)));
            }
            double[] events = insightEventsCost(rig);
            Map<Integer, double[]> crossover = crossover(rig);
            List<SteadyWrites.Cost> steady = new ArrayList<>();
            for (SteadyWrites.Way w : SteadyWrites.Way.values()) {
                SteadyWrites.Cost c = rig.steady().measure(w, settings.steadyRounds());
                log.printf(
                        "bench write: steady rescans, %s: %.1f KiB of WAL and %.0f rows rewritten"
                                + " per 1,000 scans%n",
                        w.label, c.walBytesPer1000() / 1024, c.rewritesPer1000());
                steady.add(c);
            }
            WriteRig.Cpu cpu =
                    medianCpu(
                            java.util.Objects.requireNonNull(
                                    largestCalls.get(Method.HYBRID), "no hybrid call"));
            log.printf(
                    "bench write: %,d findings, hybrid: PostgreSQL %.2f cores, the JVM %.2f cores"
                            + " during the call; in PostgreSQL COPY %.2f s, audit rows %.2f s,"
                            + " other statements %.2f s%n",
                    largest,
                    cpu.postgresCores(),
                    cpu.jvmCores(),
                    cpu.statements().copySeconds(),
                    cpu.statements().auditSeconds(),
                    cpu.statements().otherSeconds());
            return WriteReport.of(
                    settings, seconds, extrapolated, events, crossover, steady, largestCalls);
        } catch (SQLException | RuntimeException e) {
            throw new BenchFailedException("write: the system under test failed: " + e, e);
        }
    }

    /** The call of median wall time among {@code calls}. */
    static WriteRig.Cpu medianCpu(List<WriteRig.Cpu> calls) {
        List<WriteRig.Cpu> sorted = new ArrayList<>(calls);
        sorted.sort(java.util.Comparator.comparingDouble(WriteRig.Cpu::seconds));
        return sorted.get(sorted.size() / 2);
    }

    private void warmUp(WriteRig rig) throws SQLException {
        log.println("bench write: warming up (JIT, pools, plans)…");
        List<ResultFinding> small = BenchFindings.of(1_000);
        List<ResultFinding> mid = BenchFindings.of(settings.naiveSample() < 20_000 ? 1_000 : 5_000);
        for (int i = 0; i < (settings.naiveSample() < 20_000 ? 1 : 3); i++) {
            for (Method m : Method.values()) {
                rig.time(m, m == Method.NAIVE ? small : mid);
            }
        }
        rig.reset();
    }

    private double naiveSampleRate(WriteRig rig) throws SQLException {
        List<ResultFinding> rows = BenchFindings.of(settings.naiveSample());
        List<Double> rates = new ArrayList<>();
        for (int rep = 0; rep < settings.reps(); rep++) {
            rig.reset();
            rates.add(rows.size() / rig.time(Method.NAIVE, rows));
        }
        return median(rates);
    }

    /**
     * The largest call through the hybrid writer with the insight-event outbox on and off, paired
     * and alternated per repetition so that both see the same machine: {median seconds on, median
     * seconds off}. The difference is what queuing one outbox row per opened insight costs.
     */
    private double[] insightEventsCost(WriteRig rig) throws SQLException {
        int size = settings.sizes().getLast();
        List<ResultFinding> rows = BenchFindings.of(size);
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        try {
            for (int rep = 0; rep < settings.reps(); rep++) {
                for (boolean events : rep % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                    rig.reset();
                    rig.insightEvents(events);
                    (events ? on : off).add(rig.time(Method.HYBRID, rows));
                }
            }
        } finally {
            rig.insightEvents(true);
        }
        double[] out = {median(on), median(off)};
        log.printf(
                "bench write: %,d findings, insight events on %s rows/s, off %s rows/s%n",
                size, count(size / out[0]), count(size / out[1]));
        return out;
    }

    /**
     * Size → median seconds of {unnest, COPY} on a fresh target, then of {unnest, COPY} on a steady
     * rescan (the same findings again, all open already), written directly (no HTTP).
     */
    private Map<Integer, double[]> crossover(WriteRig rig) throws SQLException {
        Map<Integer, double[]> out = new java.util.LinkedHashMap<>();
        rig.reset();
        for (int size : settings.crossoverSizes()) {
            List<ResultFinding> rows = BenchFindings.of(size);
            List<List<Double>> runs =
                    List.of(
                            new ArrayList<>(),
                            new ArrayList<>(),
                            new ArrayList<>(),
                            new ArrayList<>());
            for (int rep = 0; rep < settings.crossoverReps(); rep++) {
                // alternate which path goes first, so neither always meets a warmer cache
                List<Method> order =
                        rep % 2 == 0
                                ? List.of(Method.DIRECT_UNNEST, Method.DIRECT_COPY)
                                : List.of(Method.DIRECT_COPY, Method.DIRECT_UNNEST);
                for (Method m : order) {
                    int column = m == Method.DIRECT_UNNEST ? 0 : 1;
                    runs.get(column).add(rig.time(m, rows));
                    runs.get(column + 2).add(rig.timeRescan(m, rows));
                }
            }
            double[] medians = runs.stream().mapToDouble(Samples::median).toArray();
            out.put(size, medians);
            log.printf(
                    "bench write: crossover %,d rows: unnest %.1f ms, COPY %.1f ms; steady rescan:"
                            + " unnest %.1f ms, COPY %.1f ms%n",
                    size,
                    medians[0] * 1000,
                    medians[1] * 1000,
                    medians[2] * 1000,
                    medians[3] * 1000);
        }
        return out;
    }

    /**
     * The smallest measured size from which COPY is faster at every larger size, or -1: on fresh
     * targets, or on steady rescans.
     */
    static int measuredCrossover(Map<Integer, double[]> crossover, boolean rescans) {
        int column = rescans ? 2 : 0;
        int from = -1;
        for (Map.Entry<Integer, double[]> e : crossover.entrySet()) {
            boolean copyFaster = e.getValue()[column + 1] < e.getValue()[column];
            if (copyFaster && from < 0) {
                from = e.getKey();
            } else if (!copyFaster) {
                from = -1;
            }
        }
        return from;
    }

    /** The measured seconds of {@code m}; every method is measured at every size. */
    static double get(Map<Method, Double> seconds, Method m) {
        Double v = seconds.get(m);
        if (v == null) {
            throw new IllegalStateException("no measurement of " + m);
        }
        return v;
    }
}
