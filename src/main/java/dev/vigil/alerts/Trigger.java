package dev.vigil.alerts;

import java.util.Locale;

/** What happened to an insight that a rule can alert on. */
public enum Trigger {
    /** Seen for the first time. */
    OPENED,
    /** Open again after it was resolved. */
    REOPENED,
    /** No longer seen by a scan that evaluated its check. */
    RESOLVED;

    /**
     * The name stored and shown on the wire ({@code opened}, {@code reopened}, {@code resolved}).
     */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The trigger named {@code wire}.
     *
     * @throws IllegalArgumentException for an unknown name, stating the accepted ones
     */
    public static Trigger fromWire(String wire) {
        for (Trigger t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown trigger '" + wire + "' (expected opened, reopened or resolved)");
    }
}
