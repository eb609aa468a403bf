package dev.vigil.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The watchdog's deadline from what it sees: how long the scheduled scans it settles took from
 * their publish to their stored result, and from those the deadline it applies, three times their
 * 99th percentile, never under a floor (twice the lag the scheduler allows its lanes, so a scan
 * waiting in a queue the scheduler permits is never called lost) and never over the configured
 * deadline. Until {@link #MIN_SAMPLES} delays of the last {@link #WINDOW} have been seen (a cold
 * start, a quiet fleet) the configured deadline applies.
 *
 * <p>The samples are the landed scans of the watchdog's own rounds: every scheduled scan comes
 * before it once, so they are the delays of all scheduled scans, one deadline late, and none longer
 * than the deadline in force (a slower scan is flagged lost, not sampled). The deadline can only
 * fall below its ceiling on evidence, and it rises back as soon as slower landings are seen.
 *
 * <p>Thread-safe: every method is synchronized (a round records a batch, a scrape reads).
 */
final class LandingDelays {

    /** Delays older than this are forgotten. */
    static final Duration WINDOW = Duration.ofHours(1);

    /** The fewest samples in the window for the percentile to be trusted. */
    static final int MIN_SAMPLES = 100;

    /** The most samples kept: the newest win. */
    static final int CAPACITY = 4_096;

    /** The multiple of the 99th percentile the deadline is. */
    static final int P99_MULTIPLE = 3;

    private final Duration floor;
    private final Duration ceiling;
    private final long[] delayMillis = new long[CAPACITY];
    private final Instant[] seenAt = new Instant[CAPACITY];
    private int next;
    private int size;

    /**
     * @param floor the shortest deadline applied
     * @param ceiling the configured deadline: the longest applied, and the one used without samples
     */
    LandingDelays(Duration floor, Duration ceiling) {
        if (floor.compareTo(ceiling) > 0) {
            throw new IllegalArgumentException(
                    "the floor " + floor + " is over the deadline " + ceiling);
        }
        this.floor = floor;
        this.ceiling = ceiling;
    }

    /** Records that a scan published at {@code publishedAt} had its result at {@code landedAt}. */
    synchronized void landed(Instant publishedAt, Instant landedAt, Instant now) {
        long ms = Math.max(0, Duration.between(publishedAt, landedAt).toMillis());
        delayMillis[next] = ms;
        seenAt[next] = now;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    /** The deadline to apply at {@code now}; see the class comment. */
    synchronized Duration deadline(Instant now) {
        Duration p99 = p99(now);
        if (p99 == null) {
            return ceiling;
        }
        Duration d = p99.multipliedBy(P99_MULTIPLE);
        if (d.compareTo(floor) < 0) {
            return floor;
        }
        return d.compareTo(ceiling) > 0 ? ceiling : d;
    }

    /** The 99th percentile of the delays seen within the window, or null with too few. */
    synchronized @Nullable Duration p99(Instant now) {
        Instant from = now.minus(WINDOW);
        long[] recent = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!seenAt[i].isBefore(from)) {
                recent[n++] = delayMillis[i];
            }
        }
        if (n < MIN_SAMPLES) {
            return null;
        }
        Arrays.sort(recent, 0, n);
        // nearest rank: the smallest delay at or above 99 % of the samples
        int rank = (int) Math.ceil(0.99 * n) - 1;
        return Duration.ofMillis(recent[rank]);
    }
}
