package dev.vigil.checks;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one check concluded about one document.
 *
 * @param findings non-empty exactly when {@code outcome} is {@link Outcome#FAIL}
 * @param error why the check could not be evaluated, set exactly when {@code outcome} is {@link
 *     Outcome#ERROR}
 */
public record CheckResult(
        String checkId, Outcome outcome, List<Finding> findings, @Nullable String error) {

    public CheckResult {
        findings = List.copyOf(findings);
        if ((outcome == Outcome.FAIL) == findings.isEmpty()) {
            throw new IllegalArgumentException(
                    checkId
                            + ": a FAIL needs findings and only a FAIL may have them, got "
                            + outcome
                            + " with "
                            + findings.size());
        }
        if ((outcome == Outcome.ERROR) == (error == null)) {
            throw new IllegalArgumentException(
                    checkId + ": an ERROR needs a reason and only an ERROR may have one");
        }
    }

    public static CheckResult pass(String checkId) {
        return new CheckResult(checkId, Outcome.PASS, List.of(), null);
    }

    public static CheckResult notApplicable(String checkId) {
        return new CheckResult(checkId, Outcome.NOT_APPLICABLE, List.of(), null);
    }

    public static CheckResult error(String checkId, String reason) {
        return new CheckResult(checkId, Outcome.ERROR, List.of(), reason);
    }

    public static CheckResult fail(String checkId, List<Finding> findings) {
        return new CheckResult(checkId, Outcome.FAIL, findings, null);
    }
}
