package dev.vigil.checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The results of one rule set on one document.
 *
 * <p>The accessors below run once or twice per scan over a few dozen results, so they are plain
 * loops: stream collectors into sets were 1.7 % of the one-JVM pipeline's CPU samples ({@code
 * docs/perf/2026-12-07-after-batches-in-flight.md}), and a list in catalogue order is what the
 * results carry anyway.
 *
 * @param ruleSetVersion the {@link RuleSet#version()} that produced the results
 * @param results one result per check that was run, in catalogue order
 */
public record Evaluation(String ruleSetVersion, List<CheckResult> results) {

    public Evaluation {
        results = List.copyOf(results);
    }

    /**
     * The checks that reached a verdict (PASS, FAIL or NOT_APPLICABLE), in catalogue order: for
     * these the stored insights may be opened or resolved. ERRORed checks are not among them.
     */
    public List<String> evaluatedCheckIds() {
        return checkIds(false);
    }

    /**
     * The checks that could not be evaluated, in catalogue order; their insights must be left as
     * they were.
     */
    public List<String> erroredCheckIds() {
        return checkIds(true);
    }

    private List<String> checkIds(boolean errored) {
        List<String> ids = new ArrayList<>(results.size());
        for (CheckResult r : results) {
            if ((r.outcome() == Outcome.ERROR) == errored) {
                ids.add(r.checkId());
            }
        }
        return Collections.unmodifiableList(ids);
    }

    /** The result of one check, if it was run. */
    public Optional<CheckResult> result(String checkId) {
        for (CheckResult r : results) {
            if (r.checkId().equals(checkId)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Every finding of every failing check, in catalogue order. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        for (CheckResult r : results) {
            all.addAll(r.findings());
        }
        return Collections.unmodifiableList(all);
    }
}
