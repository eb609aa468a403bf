package dev.vigil.inventory;

import java.time.Duration;
import java.util.Locale;

/** A customer plan. Each plan has a default scan interval; deployments may configure others. */
public enum Plan {
    FREE(Duration.ofDays(7)),
    PRO(Duration.ofDays(3)),
    BUSINESS(Duration.ofDays(3)),
    ENTERPRISE(Duration.ofDays(1));

    private final Duration defaultInterval;

    Plan(Duration defaultInterval) {
        this.defaultInterval = defaultInterval;
    }

    /** How often a target on this plan is scanned unless configured otherwise. */
    public Duration defaultInterval() {
        return defaultInterval;
    }

    /** The lower-case name used in JSON, SQL and import files. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Plan parse(String value) {
        for (Plan p : values()) {
            if (p.wire().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown plan '" + value + "' (expected free, pro, business or enterprise)");
    }
}
