package dev.vigil.inventory;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * How many months of a time-partitioned table are kept: a month's partition is dropped once it lies
 * entirely more than {@code months} months in the past. {@link #KEEP_ALL} (0, or {@code off} in the
 * setting) drops nothing.
 *
 * @param months months kept, 0 for all
 */
public record Retention(int months) {

    /** Nothing is ever dropped. */
    public static final Retention KEEP_ALL = new Retention(0);

    /** The largest retention a setting accepts: a hundred years. */
    public static final int MAX_MONTHS = 1_200;

    public Retention {
        if (months < 0 || months > MAX_MONTHS) {
            throw new IllegalArgumentException(
                    "retention of " + months + " months is outside 0.." + MAX_MONTHS);
        }
    }

    /** Parses {@code 13}, {@code 0} or {@code off} (any case). */
    public static Retention parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        return s.equals("off") ? KEEP_ALL : new Retention(Integer.parseInt(s));
    }

    /** Whether partitions are dropped at all. */
    public boolean drops() {
        return months > 0;
    }

    /**
     * Whether the partition of {@code month} has expired at {@code now}: its end (the first instant
     * of the next UTC month) is at least this retention's number of months before {@code now}. The
     * current month and later never expire, whatever the retention.
     */
    public boolean expired(YearMonth month, Instant now) {
        if (!drops()) {
            return false;
        }
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        if (!month.isBefore(current)) {
            return false;
        }
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant cutoff = now.atOffset(ZoneOffset.UTC).minusMonths(months).toInstant();
        return !end.isAfter(cutoff);
    }

    @Override
    public String toString() {
        return drops() ? months + " months" : "off";
    }
}
