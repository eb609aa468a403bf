package dev.vigil.scheduling;

import java.util.function.LongSupplier;

/**
 * Paces publishing at a rate with a burst of at most one second's worth of permits.
 *
 * <p>Not thread-safe: owned by the scheduler's thread.
 */
final class TokenBucket {
    private final LongSupplier nanoClock;
    private double ratePerSecond;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.ratePerSecond = ratePerSecond;
        this.last = nanoClock.getAsLong();
    }

    void setRate(double ratePerSecond) {
        refill();
        this.ratePerSecond = ratePerSecond;
    }

    double rate() {
        return ratePerSecond;
    }

    /** Whole permits available now, up to {@code max}, taken from the bucket. */
    int take(int max) {
        refill();
        int n = (int) Math.min(max, Math.floor(tokens));
        tokens -= n;
        return n;
    }

    /** Returns permits that were taken but not used. */
    void giveBack(int n) {
        tokens = Math.min(capacity(), tokens + n);
    }

    private double capacity() {
        return Math.max(1, ratePerSecond);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity(), tokens + (now - last) / 1e9 * ratePerSecond);
        last = now;
    }
}
