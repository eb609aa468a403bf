package dev.vigil.sources;

import java.time.Duration;

/**
 * How much of a fetch a caller is willing to wait for before it would rather leave the target to
 * someone else: a fast-lane worker hands a target whose document is larger, or whose fetch is
 * slower, to the slow lane. A source that can stop a fetch early stops it once either limit is
 * passed and answers {@link Fetched.OverBudget}, so the document is fetched in full only once, by
 * the slow lane; a source that cannot returns the document it has in hand, and the caller evaluates
 * it rather than fetching it again.
 *
 * @param maxBytes the largest document worth receiving
 * @param maxTime the longest exchange worth waiting for (a wait for a connection slot not counted)
 */
public record FetchBudget(int maxBytes, Duration maxTime) {

    /** No limit: the whole document, however long it takes (within the source's own timeout). */
    public static final FetchBudget UNLIMITED =
            new FetchBudget(Integer.MAX_VALUE, Duration.ofDays(365));

    public FetchBudget {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(
                    "fetch budget " + maxBytes + " bytes must be positive");
        }
        if (maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("fetch budget " + maxTime + " must be positive");
        }
    }
}
