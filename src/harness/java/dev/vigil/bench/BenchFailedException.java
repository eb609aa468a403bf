package dev.vigil.bench;

/**
 * The system under test errored during a scenario: the scenario prints no figure and {@code vigil
 * bench} exits non-zero. The message names the scenario, what failed and what was seen.
 */
public final class BenchFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchFailedException(String message) {
        super(message);
    }

    public BenchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
