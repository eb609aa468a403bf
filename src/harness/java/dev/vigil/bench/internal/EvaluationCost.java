package dev.vigil.bench.internal;

import dev.vigil.bench.Samples;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.results.ScanResult;
import dev.vigil.worker.ChangeHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What evaluating one change costs a change worker, the changed sections only against a full
 * rescan, with nothing else of the path around it: {@link ChangeHandler#evaluate} (decode and
 * checks, as a change worker runs them) over every zone's changed document, timed by the CPU time
 * of the calling thread, so the other threads of a shared machine do not count. The end-to-end
 * rounds measure a whole path whose Kafka, results calls and database writes are the same either
 * way; this is the part the changed sections can save.
 *
 * <p>Passes alternate the two ways; the first pass of each is a warm-up and not counted.
 */
public final class EvaluationCost {

    /**
     * One kind's cost.
     *
     * @param changedNanos CPU nanoseconds per change evaluated on its changed section only (median
     *     of the passes)
     * @param fullNanos the same for a full rescan (every section named as changed, the naive way)
     * @param changedFindings findings per evaluation of the changed section only
     * @param fullFindings findings per full rescan
     */
    public record Measured(
            double changedNanos, double fullNanos, double changedFindings, double fullFindings) {
        /** How many times cheaper the changed sections are than a full rescan. */
        public double ratio() {
            return fullNanos / Math.max(1e-9, changedNanos);
        }
    }

    private EvaluationCost() {}

    /**
     * Times {@code passes} passes each way over {@code pusher}'s zones (variant 1 of its kind's
     * change), after one unmeasured pass each way.
     *
     * @throws IllegalStateException when the calling thread's CPU time cannot be read (a virtual
     *     thread, or a JVM without it): call it from a platform thread
     */
    public static Measured of(ChangePusher pusher, RuleSetHolder rules, int passes) {
        ThreadCpu.nanos("evaluations");
        int zones = pusher.zones();
        List<UUID> ids = new ArrayList<>(zones);
        for (int i = 0; i < zones; i++) {
            ids.add(UUID.randomUUID());
        }
        List<String> changed = List.of(pusher.kind().section());
        Instant at = Instant.now();
        List<List<Double>> nanos = List.of(new ArrayList<>(), new ArrayList<>());
        long[] findings = new long[2];
        for (int p = 0; p <= passes; p++) {
            for (int way = 0; way < 2; way++) {
                long found = 0;
                long t0 = ThreadCpu.nanos("evaluations");
                for (int i = 0; i < zones; i++) {
                    ScanResult r =
                            ChangeHandler.evaluate(
                                    rules,
                                    ids.get(i),
                                    pusher.zone(i),
                                    way == 0 ? changed : pusher.sections(i),
                                    at,
                                    pusher.document(i, 1));
                    found += r.findings().size();
                }
                long spent = ThreadCpu.nanos("evaluations") - t0;
                if (p > 0) {
                    nanos.get(way).add((double) spent);
                    findings[way] = found;
                }
            }
        }
        return new Measured(
                Samples.median(nanos.get(0)) / zones,
                Samples.median(nanos.get(1)) / zones,
                findings[0] / (double) zones,
                findings[1] / (double) zones);
    }
}
