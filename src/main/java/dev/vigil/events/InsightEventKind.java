package dev.vigil.events;

import java.util.Locale;

/**
 * The transitions an insight event reports; {@link #wire()} is the name in the database, the API's
 * audit log and the Avro enum.
 */
public enum InsightEventKind {
    OPENED,
    REOPENED,
    RESOLVED,
    DISMISSED,
    UNDISMISSED,
    CLASSIFIED,
    UNCLASSIFIED;

    /** The lower-case name used on the wire and in {@code audit_log.action}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code wire}.
     *
     * @throws IllegalArgumentException when it names none
     */
    public static InsightEventKind fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
