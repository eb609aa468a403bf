package dev.vigil.results;

import dev.vigil.results.internal.AppliedScan;
import java.time.Duration;

/**
 * What applying one scan result did.
 *
 * @param applied false when the result was ignored because it was replayed or superseded (then
 *     every count is zero and no finding was written)
 * @param path how the findings were written; {@link WritePath#NONE} for a replay, {@link
 *     WritePath#SUPERSEDED} when a newer scan of the target was applied first
 * @param findings distinct findings in the result (duplicates by identity counted once)
 * @param opened insights created by this result
 * @param reopened resolved insights this result found again
 * @param resolved open insights of evaluated checks this result no longer found
 */
public record WriteOutcome(
        boolean applied,
        WritePath path,
        int findings,
        int opened,
        int reopened,
        int resolved,
        Duration elapsed) {

    /** The outcome of an applied result. */
    public static WriteOutcome of(AppliedScan scan, Duration elapsed) {
        return new WriteOutcome(
                true,
                scan.path(),
                scan.findings(),
                scan.opened(),
                scan.reopened(),
                scan.resolved(),
                elapsed);
    }

    /** The outcome of a replayed result: the target's last applied scan, delivered again. */
    public static WriteOutcome ignored(Duration elapsed) {
        return new WriteOutcome(false, WritePath.NONE, 0, 0, 0, 0, elapsed);
    }

    /**
     * The outcome of a stale result: a newer scan of the target was applied first, so its findings
     * are not written; the scan is recorded as superseded.
     */
    public static WriteOutcome superseded(Duration elapsed) {
        return new WriteOutcome(false, WritePath.SUPERSEDED, 0, 0, 0, 0, elapsed);
    }

    /** A one-line description for logs and the API response. */
    public String status() {
        if (applied) {
            return "applied";
        }
        return path == WritePath.SUPERSEDED ? "ignored (superseded)" : "ignored (replayed)";
    }
}
