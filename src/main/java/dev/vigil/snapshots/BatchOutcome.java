package dev.vigil.snapshots;

/**
 * What {@link ConfigSnapshots#pushAll} did with one push of a batch: each push is answered on its
 * own, and one push's failure never undoes another's.
 */
public sealed interface BatchOutcome {

    /** Stored and announced, or found equal to the stored version. */
    record Pushed(PushOutcome outcome) implements BatchOutcome {}

    /** The push named no live target of its kind: nothing stored. */
    record Unknown(UnknownTargetException failure) implements BatchOutcome {}

    /** The requested version was not newer than the stored one: nothing stored. */
    record Stale(StaleVersionException failure) implements BatchOutcome {}

    /**
     * Stored, then the announcement failed, so the version was deleted again: nothing stored, and
     * the same push may be retried.
     */
    record Unannounced(RuntimeException failure) implements BatchOutcome {}
}
