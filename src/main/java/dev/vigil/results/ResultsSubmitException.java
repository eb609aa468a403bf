package dev.vigil.results;

/**
 * Sending a scan result to the results API failed. The subtype alone decides what the worker does:
 * {@link RetriableResultsException} → retry later (same scan id, the API drops replays); {@link
 * PermanentResultsException} → dead-letter.
 */
public abstract sealed class ResultsSubmitException extends RuntimeException
        permits RetriableResultsException, PermanentResultsException {
    private static final long serialVersionUID = 1L;

    ResultsSubmitException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
    }
}
