package dev.vigil.worker;

/** A worker could not read the rule rollout from the API, or not compile a version it names. */
public final class RuleRolloutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuleRolloutException(String message) {
        super(message);
    }

    public RuleRolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
