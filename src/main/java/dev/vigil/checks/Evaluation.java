package dev.vigil.checks;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The results of one rule set on one document.
 *
 * @param ruleSetVersion the {@link RuleSet#version()} that produced the results
 * @param results one result per check that was run, in catalogue order
 */
public record Evaluation(String ruleSetVersion, List<CheckResult> results) {

    public Evaluation {
        results = List.copyOf(results);
    }

    /**
     * The checks that reached a verdict (PASS, FAIL or NOT_APPLICABLE): for these the stored
     * insights may be opened or resolved. ERRORed checks are not among them.
     */
    public Set<String> evaluatedCheckIds() {
        return results.stream()
                .filter(r -> r.outcome() != Outcome.ERROR)
                .map(CheckResult::checkId)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The checks that could not be evaluated; their insights must be left as they were. */
    public Set<String> erroredCheckIds() {
        return results.stream()
                .filter(r -> r.outcome() == Outcome.ERROR)
                .map(CheckResult::checkId)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The result of one check, if it was run. */
    public java.util.Optional<CheckResult> result(String checkId) {
        return results.stream().filter(r -> r.checkId().equals(checkId)).findFirst();
    }

    /** Every finding of every failing check. */
    public List<Finding> findings() {
        return results.stream().flatMap(r -> r.findings().stream()).toList();
    }
}
