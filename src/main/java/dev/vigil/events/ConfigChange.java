package dev.vigil.events;

import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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

    /**
     * The document of a change, carried in the event: UTF-8 JSON exactly as the API stored it.
     * Immutable (the bytes are copied in and out); equality compares the bytes, and {@link
     * #toString()} gives only the size, so a logged event does not print the document.
     */
    public static final class InlineDocument {
        private final byte[] utf8;

        private InlineDocument(byte[] utf8) {
            this.utf8 = utf8;
        }

        /** A copy of {@code utf8}. */
        public static InlineDocument of(byte[] utf8) {
            return new InlineDocument(utf8.clone());
        }

        /** The UTF-8 bytes of {@code json}. */
        public static InlineDocument of(String json) {
            return new InlineDocument(json.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Takes {@code utf8} without a copy: for the codec, whose decoded array nobody else holds.
         */
        static InlineDocument owning(byte[] utf8) {
            return new InlineDocument(utf8);
        }

        /** Length in bytes. */
        public int size() {
            return utf8.length;
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            return utf8.clone();
        }

        /** The bytes without a copy, for the codec; never modified. */
        byte[] shared() {
            return utf8;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InlineDocument d && Arrays.equals(utf8, d.utf8);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(utf8);
        }

        @Override
        public String toString() {
            return "InlineDocument[" + utf8.length + " bytes]";
        }
    }
}
