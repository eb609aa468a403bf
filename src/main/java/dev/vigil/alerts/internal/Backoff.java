package dev.vigil.alerts.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter",
 * 2015: full jitter spreads the retries of many messages failing at once best, at the cost of an
 * occasional short wait): attempt {@code n} waits a uniform time in {@code [0, min(cap, base *
 * 2^(n-1))]}, and never less than the receiver's {@code Retry-After}.
 *
 * <p>Thread-safe when its random generator is (the default one is).
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;

    private Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    public static Backoff of(Duration base, Duration cap) {
        return new Backoff(base, cap, RandomGenerator.of("L64X128MixRandom"));
    }

    /** As {@link #of}, drawing from {@code random} (a seeded one in tests). */
    public static Backoff of(Duration base, Duration cap, RandomGenerator random) {
        return new Backoff(base, cap, random);
    }

    /** The ceiling of attempt {@code attempt}'s wait (1 for the wait after the first attempt). */
    public Duration ceiling(int attempt) {
        int doublings = Math.clamp(attempt - 1, 0, 62);
        long baseMs = Math.max(1, base.toMillis());
        long capMs = cap.toMillis();
        // base * 2^doublings overflows long past 62 - log2(base) doublings; compare before shifting
        long ms =
                doublings >= Long.numberOfLeadingZeros(baseMs) - 1
                        ? capMs
                        : Math.min(capMs, baseMs << doublings);
        return Duration.ofMillis(ms);
    }

    /**
     * The wait after attempt {@code attempt} failed, at least {@code retryAfter} when the receiver
     * sent one.
     */
    public Duration delay(int attempt, @Nullable Duration retryAfter) {
        long ceiling = ceiling(attempt).toMillis();
        Duration jittered = Duration.ofMillis(random.nextLong(ceiling + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
