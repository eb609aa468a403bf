package dev.vigil.sources;

import org.jspecify.annotations.Nullable;

/**
 * A fetch from a {@link ConfigSource} failed. The subtype is the verdict: {@link
 * RetriableSourceException} or {@link PermanentSourceException}; callers switch over the two and
 * never parse the message. The message names the target, where it was fetched from, the status or
 * cause, and the time spent.
 */
public abstract sealed class ConfigSourceException extends RuntimeException
        permits RetriableSourceException, PermanentSourceException {

    private static final long serialVersionUID = 1L;

    private final String targetId;

    ConfigSourceException(String targetId, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.targetId = targetId;
    }

    /** The target whose fetch failed. */
    public String targetId() {
        return targetId;
    }
}
