package dev.vigil.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 1) waits a random time in {@code
 * [0, min(maxDelay, baseDelay × 2^(n-1))]} before the next one. Jitter keeps a burst of failures
 * (an API restart) from retrying in lockstep.
 *
 * <p>The budget is both a count and a time: a retriable failure is tried again while fewer than
 * {@code maxAttempts} attempts were made <em>or</em> less than {@code retryFor} has passed since
 * the first one. The time is what an outage is measured in; with jittered waits, a count alone
 * gives up after a random time, which under load can be shorter than an API restart.
 */
public record RetryPolicy(
        int maxAttempts, Duration baseDelay, Duration maxDelay, Duration retryFor) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(
                    5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (retryFor.isNegative()) {
            throw new IllegalArgumentException("retryFor must not be negative, got " + retryFor);
        }
    }

    /** A budget of attempts only. */
    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this(maxAttempts, baseDelay, maxDelay, Duration.ZERO);
    }

    /**
     * Whether a retriable failure of attempt {@code attempt}, {@code elapsed} after the first
     * attempt began, is tried again.
     */
    public boolean tryAgain(int attempt, Duration elapsed) {
        return attempt < maxAttempts || elapsed.compareTo(retryFor) < 0;
    }

    public Duration delayAfter(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }
}
