package dev.vigil.snapshots;

import dev.vigil.inventory.TargetKind;

/** A push named a target that does not exist (or is deleted, or is of the other kind). */
public final class UnknownTargetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final TargetKind kind;
    private final String targetId;

    public UnknownTargetException(TargetKind kind, String targetId) {
        super("no " + kind.wire() + " target '" + targetId + "' (unknown or deleted)");
        this.kind = kind;
        this.targetId = targetId;
    }

    public TargetKind kind() {
        return kind;
    }

    public String targetId() {
        return targetId;
    }
}
