package dev.vigil.sources.cloudflare.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces the requests of one credential so that they never exceed a rate, whichever thread sends
 * them: each {@link #acquire} reserves the next free slot and parks the caller until it. Slots are
 * at least {@code 1 / requestsPerSecond} apart, with no burst: Cloudflare counts 1,200 requests per
 * five minutes per credential, and a burst that fits the window still trips the edge's shorter
 * limits.
 *
 * <p>The server's word wins over the configured rate: {@link #observe} reads the remaining quota
 * and reset time of a {@code Ratelimit} header and, when the remaining requests would run out
 * before the reset at the configured pace, stretches the spacing so they last until it; {@link
 * #pauseFor} (a 429's {@code Retry-After}) holds every thread of the credential until the time is
 * up.
 *
 * <p>Thread-safe: the schedule is one monotonic timestamp guarded by this object's monitor; waiting
 * happens outside it. One pacer per credential per process: {@link #shared} hands out the same
 * instance for the same key.
 */
public final class RatePacer {

    private static final Map<String, RatePacer> SHARED = new ConcurrentHashMap<>();

    /** Below this many remaining requests the server's quota decides the spacing. */
    private static final long LOW_QUOTA = 50;

    private final long intervalNanos;
    private long nextSlot;
    private long stretchedUntil;
    private long stretchedInterval;

    RatePacer(double requestsPerSecond) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "requests per second must be positive, got " + requestsPerSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
        this.nextSlot = System.nanoTime();
    }

    /**
     * The pacer of {@code credentialKey} (a digest of the token and the API's base URL, never the
     * token itself). The first caller's rate sticks for the life of the process.
     */
    public static RatePacer shared(String credentialKey, double requestsPerSecond) {
        return SHARED.computeIfAbsent(credentialKey, k -> new RatePacer(requestsPerSecond));
    }

    /** A pacer of its own, for a test or a one-off run. */
    public static RatePacer of(double requestsPerSecond) {
        return new RatePacer(requestsPerSecond);
    }

    /** The configured spacing of requests. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /**
     * Blocks until this caller may send one request.
     *
     * @throws InterruptedException when interrupted while waiting; the slot is not given back
     */
    public void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            long spacing = now - stretchedUntil < 0 ? stretchedInterval : intervalNanos;
            slot = Math.max(now, nextSlot);
            nextSlot = slot + spacing;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a request slot");
            }
        }
    }

    /**
     * Reads the server's view of the quota: {@code remaining} requests until the window resets in
     * {@code resetSeconds}. When they would run out before the reset at the configured pace, the
     * spacing stretches to {@code reset / remaining} until the reset; none left pauses until it.
     */
    public void observe(long remaining, long resetSeconds) {
        if (resetSeconds <= 0 || remaining >= LOW_QUOTA) {
            return;
        }
        long resetNanos = TimeUnit.SECONDS.toNanos(resetSeconds);
        if (remaining <= 0) {
            pauseFor(Duration.ofNanos(resetNanos));
            return;
        }
        long spread = resetNanos / remaining;
        if (spread <= intervalNanos) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            stretchedUntil = now + resetNanos;
            stretchedInterval = spread;
            nextSlot = Math.max(nextSlot, now + spread);
        }
    }

    /** Holds every caller of this credential for {@code pause} from now (a 429's Retry-After). */
    public void pauseFor(Duration pause) {
        synchronized (this) {
            nextSlot = Math.max(nextSlot, System.nanoTime() + pause.toNanos());
        }
    }
}
