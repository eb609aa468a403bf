package dev.vigil.results;

/**
 * A result for a target that is not in the inventory (or was deleted). Permanent: the target has to
 * be imported first; a retry would fail the same way.
 */
public final class UnknownTargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownTargetException(String targetId) {
        super(
                "unknown target '"
                        + targetId
                        + "': no such target in the inventory (or it was deleted); import the"
                        + " target before sending its results");
    }
}
