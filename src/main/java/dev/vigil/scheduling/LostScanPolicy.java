package dev.vigil.scheduling;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The watchdog's decision for one published scan, apart from the database so it is tested on its
 * own: landed, still within its deadline, lost and re-published once, or lost again and left for an
 * operator. Immutable.
 */
public record LostScanPolicy(Duration deadline) {

    /** The attempt after which a lost scan is not re-published again: one re-publish. */
    public static final int LAST_ATTEMPT = 2;

    /**
     * A scan the scheduler published, as the target's row has it.
     *
     * @param publishedAt when it was published
     * @param attempt 1 for a scheduled scan, 2 for the watchdog's re-publish
     * @param lastResultAt the scan time of the newest result stored for the target, null when none
     * @param resultIsThisScan whether that newest result is this very scan's
     */
    public record Published(
            Instant publishedAt,
            int attempt,
            @Nullable Instant lastResultAt,
            boolean resultIsThisScan) {}

    /** What to do with a published scan; exhaustive, so a new case is handled where it must be. */
    public sealed interface Verdict {
        /** A result newer than the publish was stored (this scan's or any later one's). */
        record Landed() implements Verdict {}

        /** Nothing stored yet and the deadline has not passed: check again later. */
        record Waiting(Instant deadlineAt) implements Verdict {}

        /** Lost: publish a new scan of the target as attempt {@code attempt}. */
        record Republish(int attempt) implements Verdict {}

        /** Lost after the last attempt: flagged, and nothing more is published for it. */
        record LeaveForOperator() implements Verdict {}
    }

    public LostScanPolicy {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive, not " + deadline);
        }
    }

    /** Published scans at or before this instant are past their deadline at {@code now}. */
    public Instant cutoff(Instant now) {
        return now.minus(deadline);
    }

    /**
     * The verdict on {@code scan} at {@code now}. A result counts as landed when it is this scan's,
     * or when its scan time is not before the publish: a later on-demand or change scan stored
     * fresh findings just as well.
     */
    public Verdict verdict(Published scan, Instant now) {
        Instant last = scan.lastResultAt();
        if (scan.resultIsThisScan() || (last != null && !last.isBefore(scan.publishedAt()))) {
            return new Verdict.Landed();
        }
        Instant deadlineAt = scan.publishedAt().plus(deadline);
        if (now.isBefore(deadlineAt)) {
            return new Verdict.Waiting(deadlineAt);
        }
        return scan.attempt() < LAST_ATTEMPT
                ? new Verdict.Republish(scan.attempt() + 1)
                : new Verdict.LeaveForOperator();
    }
}
