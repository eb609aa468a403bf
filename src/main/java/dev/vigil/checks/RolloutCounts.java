package dev.vigil.checks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a worker saw of the candidate rule set since its last report to the API: per check, what the
 * candidate's shadow evaluation would open and resolve compared to the applied version (with a few
 * example targets), and per cohort (canary or rest) the checks run, the ERRORs and the evaluation
 * time, which the API's guards compare. {@link #drain()} hands the counts over and starts afresh; a
 * report the API did not take is {@link #restore restored}.
 *
 * <p>Thread-safe: every method holds this object's monitor for a few map updates; nothing is
 * counted without a candidate.
 */
public final class RolloutCounts {

    /** Example targets kept per candidate, check and change between two reports. */
    public static final int EXAMPLES_PER_CHECK = 5;

    /** The cohort of a scan: the canary share or the rest of the targets. */
    public enum Cohort {
        CANARY,
        REST;

        public String wire() {
            return this == CANARY ? "canary" : "rest";
        }
    }

    /**
     * Shadow counts of one check of a candidate.
     *
     * @param checkId the check, or the empty string for the whole scan (then {@code scans} counts
     *     shadow-evaluated scans and the other counts are the sums over the checks)
     * @param scans the shadow scans that reached a verdict for the check
     */
    public record ShadowRow(
            String candidate, String checkId, long scans, long wouldOpen, long wouldResolve) {}

    /**
     * A target whose insights the candidate would change.
     *
     * @param change {@code open} or {@code resolve}
     */
    public record Example(
            String candidate, String checkId, String targetId, String change, String resourceKey) {}

    /**
     * Applied-evaluation counts of one cohort for a candidate's rollout.
     *
     * @param checkId the check, or the empty string for the whole scan (then {@code evaluations}
     *     counts scans and {@code evalNanos} their evaluation time)
     */
    public record CohortRow(
            String candidate,
            String cohort,
            String checkId,
            long evaluations,
            long errors,
            long evalNanos) {}

    /** One report's worth of counts. */
    public record Report(List<ShadowRow> shadow, List<Example> examples, List<CohortRow> cohorts) {
        public Report {
            shadow = List.copyOf(shadow);
            examples = List.copyOf(examples);
            cohorts = List.copyOf(cohorts);
        }

        public boolean isEmpty() {
            return shadow.isEmpty() && examples.isEmpty() && cohorts.isEmpty();
        }
    }

    private record Key(String candidate, String checkId) {}

    private record CohortKey(String candidate, String cohort, String checkId) {}

    private Map<Key, long[]> shadow = new HashMap<>();
    private Map<CohortKey, long[]> cohorts = new HashMap<>();
    private List<Example> examples = new ArrayList<>();
    private Map<String, Integer> examplesPerCheck = new HashMap<>();

    /**
     * Counts one applied evaluation of a scan during a candidate's rollout.
     *
     * @param evaluated the checks that reached a verdict
     * @param errored the checks that could not be evaluated
     */
    public synchronized void applied(
            String candidate,
            Cohort cohort,
            Set<String> evaluated,
            Set<String> errored,
            long evalNanos) {
        add(cohorts, new CohortKey(candidate, cohort.wire(), ""), 1, 0, evalNanos);
        for (String c : evaluated) {
            add(cohorts, new CohortKey(candidate, cohort.wire(), c), 1, 0, 0);
        }
        for (String c : errored) {
            add(cohorts, new CohortKey(candidate, cohort.wire(), c), 1, 1, 0);
        }
    }

    /**
     * Counts one shadow evaluation: per check the candidate reached a verdict on, the findings it
     * has that the applied version lacks (would open) and the reverse (would resolve). A check the
     * candidate could not evaluate would change nothing, as the results API leaves its insights as
     * they are.
     *
     * @param applied the applied version's finding keys (resource keys) by check
     * @param shadowEvaluated the checks the candidate reached a verdict on
     * @param shadowFindings the candidate's finding keys by check
     */
    public synchronized void shadow(
            String candidate,
            String targetId,
            Map<String, Set<String>> applied,
            Set<String> shadowEvaluated,
            Map<String, Set<String>> shadowFindings) {
        long opens = 0;
        long resolves = 0;
        for (String check : shadowEvaluated) {
            Set<String> before = applied.getOrDefault(check, Set.of());
            Set<String> after = shadowFindings.getOrDefault(check, Set.of());
            long open = 0;
            long resolve = 0;
            for (String key : after) {
                if (!before.contains(key)) {
                    open++;
                    example(candidate, check, targetId, "open", key);
                }
            }
            for (String key : before) {
                if (!after.contains(key)) {
                    resolve++;
                    example(candidate, check, targetId, "resolve", key);
                }
            }
            add(shadow, new Key(candidate, check), 1, open, resolve);
            opens += open;
            resolves += resolve;
        }
        add(shadow, new Key(candidate, ""), 1, opens, resolves);
    }

    private void example(
            String candidate, String check, String targetId, String change, String key) {
        String k = candidate + '\0' + check + '\0' + change;
        int n = examplesPerCheck.getOrDefault(k, 0);
        if (n < EXAMPLES_PER_CHECK) {
            examplesPerCheck.put(k, n + 1);
            examples.add(new Example(candidate, check, targetId, change, key));
        }
    }

    /** The counts since the last drain; this object starts afresh. */
    public synchronized Report drain() {
        List<ShadowRow> s = new ArrayList<>();
        shadow.forEach(
                (k, v) -> s.add(new ShadowRow(k.candidate(), k.checkId(), v[0], v[1], v[2])));
        List<CohortRow> c = new ArrayList<>();
        cohorts.forEach(
                (k, v) ->
                        c.add(
                                new CohortRow(
                                        k.candidate(), k.cohort(), k.checkId(), v[0], v[1], v[2])));
        Report r = new Report(s, examples, c);
        shadow = new HashMap<>();
        cohorts = new HashMap<>();
        examples = new ArrayList<>();
        examplesPerCheck = new HashMap<>();
        return r;
    }

    /** Adds back a drained report the API did not take, so the next report carries it. */
    public synchronized void restore(Report r) {
        for (ShadowRow row : r.shadow()) {
            add(
                    shadow,
                    new Key(row.candidate(), row.checkId()),
                    row.scans(),
                    row.wouldOpen(),
                    row.wouldResolve());
        }
        for (CohortRow row : r.cohorts()) {
            add(
                    cohorts,
                    new CohortKey(row.candidate(), row.cohort(), row.checkId()),
                    row.evaluations(),
                    row.errors(),
                    row.evalNanos());
        }
        for (Example e : r.examples()) {
            example(e.candidate(), e.checkId(), e.targetId(), e.change(), e.resourceKey());
        }
    }

    private static <K> void add(Map<K, long[]> m, K key, long a, long b, long c) {
        long[] v = m.computeIfAbsent(key, k -> new long[3]);
        v[0] += a;
        v[1] += b;
        v[2] += c;
    }
}
