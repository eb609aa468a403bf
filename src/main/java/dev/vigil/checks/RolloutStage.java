package dev.vigil.checks;

import java.util.Locale;

/** Where a candidate rule set stands in its rollout. */
public enum RolloutStage {
    /** No candidate: every target gets the active version. */
    NONE,
    /** The candidate runs beside the active version on every scan; its results are only counted. */
    SHADOW,
    /**
     * The candidate's results are applied to a stable, hash-chosen share of the targets; the rest
     * keep the active version and still shadow-evaluate the candidate.
     */
    CANARY;

    /** The name on the wire and in the database: {@code none}, {@code shadow}, {@code canary}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The stage named {@code wire}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static RolloutStage parse(String wire) {
        for (RolloutStage s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "rollout stage '" + wire + "' is not one of none, shadow, canary");
    }
}
