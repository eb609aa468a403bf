package dev.vigil.api.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code perMinute} requests per key (an account for on-demand scans, a token's hash for
 * every request) and rolling minute: a token bucket per key that holds a minute's worth and refills
 * evenly. In memory, so the limit is per API instance.
 *
 * <p>Thread-safe.
 */
public final class AccountRateLimit {
    private final int perMinute;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public AccountRateLimit(int perMinute, LongSupplier nanoClock) {
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
    }

    /** Takes a permit for {@code accountId}: 0 when granted, else the seconds to wait (≥ 1). */
    public long acquire(String accountId) {
        Bucket b = buckets.computeIfAbsent(accountId, a -> new Bucket(perMinute, nanoClock));
        synchronized (b) {
            return b.take(perMinute, nanoClock.getAsLong());
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int perMinute, LongSupplier clock) {
            this.tokens = perMinute;
            this.last = clock.getAsLong();
        }

        long take(int perMinute, long now) {
            double perNano = perMinute / 60e9;
            tokens = Math.min(perMinute, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }
    }
}
