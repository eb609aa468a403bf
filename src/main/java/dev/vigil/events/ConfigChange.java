package dev.vigil.events;

import dev.vigil.inventory.Target;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pushed configuration document was stored as version {@link #version()} of its target. The Kafka
 * key is the target id, so one target's changes stay in order. Since schema v2 the event carries
 * the document itself when it is small enough ({@link #document()}); otherwise (a large document,
 * or an event written with v1) the consumer reads that exact version from the API.
 *
 * @param changedSections top-level sections that differ from the previous version; empty means
 *     every section (the first push of a target)
 * @param receivedAt when the API stored the version: the scan time of the result it produces, so
 *     the results API's watermark orders change results with scheduled ones
 * @param document the stored document, inline; null when it was not inlined (larger than the
 *     publisher's limit, or a v1 event)
 */
public record ConfigChange(
        Target target,
        long version,
        List<String> changedSections,
        Instant receivedAt,
        @Nullable InlineDocument document) {

    public ConfigChange {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(receivedAt, "receivedAt");
        changedSections = List.copyOf(changedSections);
        if (version < 1) {
            throw new IllegalArgumentException(
                    "config version of target " + target.targetId() + " must be >= 1: " + version);
        }
    }

    /** A change without its document inline: the consumer fetches the version. */
    public ConfigChange(
            Target target, long version, List<String> changedSections, Instant receivedAt) {
        this(target, version, changedSections, receivedAt, null);
    }

    /** This change carrying {@code inline} (null: none). */
    public ConfigChange withDocument(@Nullable InlineDocument inline) {
        return new ConfigChange(target, version, changedSections, receivedAt, inline);
    }
}
