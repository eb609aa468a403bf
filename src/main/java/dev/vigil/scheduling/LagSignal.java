package dev.vigil.scheduling;

import dev.vigil.events.Lane;
import java.time.Duration;
import java.util.Map;

/**
 * The port through which the scheduler learns how far behind the workers are: for each lane, its
 * backlog of scan requests and the rate its workers have recently worked it off. The scheduler
 * slows down while a lane's backlog is more work than {@link SchedulerConfig#maxLag()} (issue 20).
 *
 * <p>Implementations answer at once from their last measurement (the scheduler asks on every round,
 * so measuring belongs on a thread of their own) and are thread-safe. A lane missing from the
 * answer is not measured (its broker did not answer, or no worker of it ever committed): the
 * scheduler then keeps the decision it had.
 */
@FunctionalInterface
public interface LagSignal {

    /** The last measurement of each measured lane; empty when none is. */
    Map<Lane, LaneLag> lanes();

    /** No measurement ever: the scheduler publishes at its planned rate, as before issue 20. */
    static LagSignal none() {
        return Map::of;
    }

    /**
     * One lane's backlog.
     *
     * @param records scan requests on the topic the lane's group has not committed yet
     * @param consumedPerSecond records the group committed per second over the recent window (the
     *     other lane's records included: each group reads the whole topic), 0 when it committed
     *     none
     */
    record LaneLag(long records, double consumedPerSecond) {
        public LaneLag {
            if (records < 0 || consumedPerSecond < 0 || Double.isNaN(consumedPerSecond)) {
                throw new IllegalArgumentException(
                        "a lane's lag is never negative: records="
                                + records
                                + ", consumed/s="
                                + consumedPerSecond);
            }
        }

        /**
         * How long the lane's workers need to work off the backlog at their recent rate: {@code
         * records ÷ consumedPerSecond}; zero without a backlog, {@link #FOREVER} with a backlog and
         * no progress.
         */
        public Duration workTime() {
            if (records == 0) {
                return Duration.ZERO;
            }
            if (consumedPerSecond <= 0) {
                return FOREVER;
            }
            double seconds = records / consumedPerSecond;
            return seconds >= FOREVER.toSeconds()
                    ? FOREVER
                    : Duration.ofNanos((long) (seconds * 1e9));
        }

        /** The work time of a backlog nobody works off: longer than any bound. */
        public static final Duration FOREVER = Duration.ofDays(365);
    }
}
