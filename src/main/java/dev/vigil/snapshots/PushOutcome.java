package dev.vigil.snapshots;

import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.Target;
import java.time.Instant;
import java.util.List;

/** What {@link ConfigSnapshots#push} did with a document: stored it, or found it unchanged. */
public sealed interface PushOutcome {

    Target target();

    long version();

    List<String> changedSections();

    Instant receivedAt();

    /**
     * Stored as {@code change.version()} and announced.
     *
     * @param change the announced change (target, version, changed sections, time stored)
     */
    record Accepted(ConfigChange change) implements PushOutcome {

        @Override
        public Target target() {
            return change.target();
        }

        @Override
        public long version() {
            return change.version();
        }

        @Override
        public List<String> changedSections() {
            return change.changedSections();
        }

        @Override
        public Instant receivedAt() {
            return change.receivedAt();
        }
    }

    /**
     * Equal to the stored version (the diff found no changed section): nothing stored, nothing
     * announced.
     *
     * @param version the stored version it equals
     * @param receivedAt when that version was stored
     */
    record Unchanged(Target target, long version, Instant receivedAt) implements PushOutcome {

        @Override
        public List<String> changedSections() {
            return List.of();
        }
    }
}
