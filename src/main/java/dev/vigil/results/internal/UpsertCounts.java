package dev.vigil.results.internal;

import java.util.OptionalInt;

/**
 * What one upsert of findings did: distinct findings, insights opened and reopened.
 *
 * @param resolved the open insights the upsert resolved itself, because no finding named them (the
 *     COPY path resolves against its staged batch; 0 into a target that had no insight, where every
 *     insight was seen by this scan), or empty when the caller's resolve step must still run (the
 *     per-row path)
 */
public record UpsertCounts(int findings, int opened, int reopened, OptionalInt resolved) {

    public UpsertCounts(int findings, int opened, int reopened) {
        this(findings, opened, reopened, OptionalInt.empty());
    }
}
