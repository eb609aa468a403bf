package dev.vigil.results;

/**
 * A result with more findings than one call may carry. Permanent; nothing of the result was
 * written.
 */
public final class TooManyFindingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long cap;

    public TooManyFindingsException(long cap) {
        super(
                "a scan result may carry at most "
                        + cap
                        + " findings per call, and this one has more; nothing was written (raise"
                        + " the API's max findings per call if such targets are expected)");
        this.cap = cap;
    }

    /** The configured maximum number of findings per call. */
    public long cap() {
        return cap;
    }
}
