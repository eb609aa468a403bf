package dev.vigil.snapshots;

/**
 * A push asked for a version that is not newer than the stored one; nothing was stored. Permanent:
 * the same push fails the same way.
 */
public final class StaleVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long requested;
    private final long stored;
    private final String targetId;

    public StaleVersionException(String targetId, long requested, long stored) {
        super(describe(targetId, requested, stored));
        this.requested = requested;
        this.stored = stored;
        this.targetId = targetId;
    }

    private static String describe(String targetId, long requested, long stored) {
        return "version "
                + requested
                + " is not newer than the stored version "
                + stored
                + " of target '"
                + targetId
                + "'; the push is ignored";
    }

    /** The message, for an answer to the pusher: the versions and the target. */
    public String detail() {
        return describe(targetId, requested, stored);
    }

    public long requested() {
        return requested;
    }

    public long stored() {
        return stored;
    }

    public String targetId() {
        return targetId;
    }
}
