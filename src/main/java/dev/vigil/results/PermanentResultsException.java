package dev.vigil.results;

import dev.vigil.failure.Failure;

/** The API refused the result for good (a 4xx other than 429): retrying would fail the same way. */
public final class PermanentResultsException extends ResultsSubmitException
        implements Failure.Permanent {
    private static final long serialVersionUID = 1L;

    private final int status;

    public PermanentResultsException(int status, String message) {
        super(message, null);
        this.status = status;
    }

    /** The HTTP status the API answered with. */
    public int status() {
        return status;
    }
}
