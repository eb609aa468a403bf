package dev.vigil.checks;

import java.util.Locale;

/** How bad an insight is, lowest first, so that {@code compareTo} orders by badness. */
public enum Severity {
    LOW,
    MODERATE,
    HIGH,
    CRITICAL;

    /** The lower-case name used in JSON, SQL and rule files. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Severity parse(String value) {
        for (Severity s : values()) {
            if (s.wire().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + value + "' (expected low, moderate, high or critical)");
    }
}
