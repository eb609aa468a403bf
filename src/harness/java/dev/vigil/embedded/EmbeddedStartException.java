package dev.vigil.embedded;

import org.jspecify.annotations.Nullable;

/**
 * An embedded server did not start, or could not do what was asked of it (create a topic, apply
 * configuration). The message names the server, its address and its data directory.
 */
public final class EmbeddedStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedStartException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
