package dev.vigil.sources;

import dev.vigil.failure.Failure;
import org.jspecify.annotations.Nullable;

/**
 * A fetch failed for a reason retrying cannot fix: the source does not know the target (404),
 * refuses the request (other 4xx, e.g. a bad token), or sent a document that is not a JSON object
 * or is larger than the configured cap.
 */
public final class PermanentSourceException extends ConfigSourceException
        implements Failure.Permanent {

    private static final long serialVersionUID = 1L;

    public PermanentSourceException(String targetId, String message, @Nullable Throwable cause) {
        super(targetId, message, cause);
    }
}
