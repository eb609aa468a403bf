package dev.vigil.events;

import dev.vigil.inventory.Target;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A pushed configuration document was stored as version {@link #version()} of its target. The Kafka
 * key is the target id, so one target's changes stay in order; the document itself is not carried
 * (it may be megabytes): the consumer reads that exact version from the API.
 *
 * @param changedSections top-level sections that differ from the previous version; empty means
 *     every section (the first push of a target)
 * @param receivedAt when the API stored the version: the scan time of the result it produces, so
 *     the results API's watermark orders change results with scheduled ones
 */
public record ConfigChange(
        Target target, long version, List<String> changedSections, Instant receivedAt) {

    public ConfigChange {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(receivedAt, "receivedAt");
        changedSections = List.copyOf(changedSections);
        if (version < 1) {
            throw new IllegalArgumentException(
                    "config version of target " + target.targetId() + " must be >= 1: " + version);
        }
    }
}
