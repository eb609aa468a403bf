package dev.vigil.sources;

import dev.vigil.failure.Failure;
import org.jspecify.annotations.Nullable;

/**
 * A fetch failed for a reason that may pass: a timeout, a 5xx or 429 answer, a refused or reset
 * connection, an interrupt during shutdown. Trying again later may succeed.
 */
public final class RetriableSourceException extends ConfigSourceException
        implements Failure.Retriable {

    private static final long serialVersionUID = 1L;

    public RetriableSourceException(String targetId, String message, @Nullable Throwable cause) {
        super(targetId, message, cause);
    }
}
