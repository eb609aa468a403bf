package dev.vigil.inventory;

import java.util.Locale;

/** What a scan target is: a whole account, or one zone (domain) of an account. */
public enum TargetKind {
    ACCOUNT,
    ZONE;

    /** The lower-case name used in JSON, SQL and rule files. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TargetKind parse(String value) {
        for (TargetKind k : values()) {
            if (k.wire().equalsIgnoreCase(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown target kind '" + value + "' (expected account or zone)");
    }
}
