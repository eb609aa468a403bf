package dev.vigil.results;

/**
 * A result body that is not a valid scan result: bad JSON, a missing or ill-typed field, or a field
 * out of order (the findings must come last). Permanent: sending the same body again fails again.
 */
public final class MalformedResultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public MalformedResultException(String field, String message) {
        super(message);
        this.field = field;
    }

    public MalformedResultException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The JSON path of the offending field, e.g. {@code findings[12].severity}. */
    public String field() {
        return field;
    }
}
