package dev.vigil.results.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * Whether a scan result applies to its target, as decided by {@link ScanTransaction#begin} under
 * the target's row lock. Callers match it with an exhaustive {@code switch}, so a new reason to
 * refuse a result must be handled by every writer.
 */
public sealed interface Admission {

    /** The result is newer than the last one applied: write it through {@code tx}. */
    record Admitted(ScanTransaction tx) implements Admission {}

    /**
     * The result's scan id is the last one applied to the target: a redelivery of a scan already
     * written, to be ignored so that a replay changes nothing.
     */
    record Replayed(UUID scanId) implements Admission {}

    /**
     * The result was scanned at or before the last result applied to the target (at PostgreSQL's
     * microsecond precision): an older scan overtaken by a newer one, to be ignored.
     */
    record Stale(Instant scannedAt, Instant lastResultAt) implements Admission {}
}
