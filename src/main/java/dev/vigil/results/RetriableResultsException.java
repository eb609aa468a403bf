package dev.vigil.results;

import dev.vigil.failure.Failure;
import org.jspecify.annotations.Nullable;

/** The API could not take the result now (timeout, connection refused, 5xx, 429): retry later. */
public final class RetriableResultsException extends ResultsSubmitException
        implements Failure.Retriable {
    private static final long serialVersionUID = 1L;

    public RetriableResultsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
