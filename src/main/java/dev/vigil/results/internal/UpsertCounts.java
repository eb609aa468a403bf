package dev.vigil.results.internal;

/**
 * What one upsert of findings did: distinct findings, insights opened and reopened.
 *
 * @param targetWasEmpty the target had no insight before this upsert, so every insight it has now
 *     was seen by this scan and there is nothing to resolve
 */
public record UpsertCounts(int findings, int opened, int reopened, boolean targetWasEmpty) {

    public UpsertCounts(int findings, int opened, int reopened) {
        this(findings, opened, reopened, false);
    }

    /** These counts, for an upsert into a target that had no insight before it. */
    UpsertCounts intoEmptyTarget() {
        return new UpsertCounts(findings, opened, reopened, true);
    }
}
