package dev.vigil.events;

import java.util.Locale;

/**
 * Which consumer group scans a target. Slow targets (large documents, slow fetches) go to their own
 * group so they never hold up the many fast ones behind them in a partition.
 */
public enum Lane {
    FAST,
    SLOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Lane parse(String value) {
        for (Lane l : values()) {
            if (l.wire().equalsIgnoreCase(value)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown lane '" + value + "' (expected fast or slow)");
    }
}
