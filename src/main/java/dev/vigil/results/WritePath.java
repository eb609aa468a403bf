package dev.vigil.results;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a scan result's findings were written. The {@link #label() label} is the value the outside
 * sees: the {@code scans.write_path} column, the {@code path} of the API's reply, the {@code path}
 * label of the write metrics and the {@code vigil.write.path} span attribute; it must not change
 * once dashboards and stored scans use it.
 */
public enum WritePath {
    /** One array-bound {@code INSERT … ON CONFLICT} for the whole result (small results). */
    UNNEST("unnest"),
    /** {@code COPY} into the insights or the staging table, then an upsert (large results). */
    COPY("copy"),
    /** One statement per finding: the baseline the benchmark compares against. */
    NAIVE("naive"),
    /** Nothing was written: the result was a redelivery of the target's last applied scan. */
    NONE("none"),
    /**
     * No finding was written: a newer scan of the target was applied first. The scan is recorded in
     * {@code scans} with this path and zero counts, so that it has an outcome.
     */
    SUPERSEDED("superseded");

    private final String label;

    WritePath(String label) {
        this.label = label;
    }

    /** The stable lower-case name stored, reported and used as a metric label. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The {@link #label()}, so that logs and string templates show what the API reports. */
    @Override
    public String toString() {
        return label;
    }
}
