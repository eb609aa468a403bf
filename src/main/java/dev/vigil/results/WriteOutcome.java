package dev.vigil.results;

import java.time.Duration;

/**
 * What applying one scan result did.
 *
 * @param applied false when the result was ignored because it was stale or replayed (then every
 *     count is zero and nothing was written)
 * @param path how the findings were written: {@link #UNNEST}, {@link #COPY}, {@link #NAIVE}, or
 *     {@link #NONE} when ignored
 * @param findings distinct findings in the result (duplicates by identity counted once)
 * @param opened insights created by this result
 * @param reopened resolved insights this result found again
 * @param resolved open insights of evaluated checks this result no longer found
 */
public record WriteOutcome(
        boolean applied,
        String path,
        int findings,
        int opened,
        int reopened,
        int resolved,
        Duration elapsed) {

    public static final String UNNEST = "unnest";
    public static final String COPY = "copy";
    public static final String NAIVE = "naive";
    public static final String NONE = "none";

    /** The outcome of a stale or replayed result. */
    public static WriteOutcome ignored(Duration elapsed) {
        return new WriteOutcome(false, NONE, 0, 0, 0, 0, elapsed);
    }

    /** A one-line description for logs and the API response. */
    public String status() {
        return applied ? "applied" : "ignored (stale or replayed)";
    }
}
