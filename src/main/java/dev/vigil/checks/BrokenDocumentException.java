package dev.vigil.checks;

/**
 * A configuration document cannot be decoded: it is not JSON, its root is not an object, or
 * something follows the object. The message says what and where.
 *
 * <p>A type of its own so that a caller can tell a broken document from a bug: the worker turns
 * exactly this into its source's permanent failure for the target (the document came from the
 * source, fetching it again brings the same bytes), while an {@link IllegalArgumentException} a
 * rule set throws stays a bug. It extends {@code IllegalArgumentException}, so callers that
 * validate input (the push route, {@code vigil check}) treat it as the bad input it is.
 */
public final class BrokenDocumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    BrokenDocumentException(String message) {
        super(message);
    }

    BrokenDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
