package dev.vigil.snapshots;

import dev.vigil.inventory.TargetKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document pushed for one target, already read and checked by the caller.
 *
 * @param kind the kind of target the push names (a zone's push never lands on an account)
 * @param targetId the account or zone id
 * @param text the document, one JSON object written compactly: the exact text stored and served
 *     back
 * @param digests the document's section fingerprints, by section ({@link DocumentFingerprints})
 * @param version the version the pusher asks for; {@code null}: the stored version + 1
 * @param changedSections the sections the pusher says changed, sorted and distinct; {@code null}:
 *     computed against the stored version
 */
public record SnapshotPush(
        TargetKind kind,
        String targetId,
        String text,
        Map<String, String> digests,
        @Nullable Long version,
        @Nullable List<String> changedSections) {

    public SnapshotPush {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(digests, "digests");
        changedSections = changedSections == null ? null : List.copyOf(changedSections);
    }
}
