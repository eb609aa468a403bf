package dev.vigil.scheduling;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;

/**
 * The lost-scan watchdog's settings ({@link Watchdog}).
 *
 * @param deadline how long after its publish a scheduled scan's result must have landed before the
 *     target counts as lost, at most; zero turns the watchdog off
 * @param period how often the leader runs a round
 * @param batchSize the most published scans one round checks (one transaction)
 * @param floor the shortest deadline the watchdog applies: from three times the 99th percentile of
 *     the landing delays it sees ({@link LandingDelays}) it shortens the deadline down to this;
 *     equal to {@code deadline}, the deadline is fixed
 */
public record WatchdogConfig(Duration deadline, Duration period, int batchSize, Duration floor) {

    /**
     * 15 minutes: the scheduler keeps each lane's queued work under {@link SchedulerConfig#MAX_LAG}
     * (2 minutes by default), and the slow lane's scans take seconds, so a scan not stored 15
     * minutes after its publish is not waiting in a queue; it is lost. Far under the shortest plan
     * interval (1 hour), so the target is flagged and scanned again well before its next scheduled
     * scan.
     */
    public static final Setting<Duration> DEADLINE =
            new Setting<>(
                    "VIGIL_WATCHDOG_DEADLINE",
                    "15m",
                    "a scheduled scan whose result has not landed this long after its publish is"
                            + " lost: the target is flagged overdue and re-published once; the"
                            + " watchdog shortens it to three times the p99 of the landing delays"
                            + " it sees, never under twice VIGIL_SCHEDULER_MAX_LAG; 0 for no"
                            + " watchdog",
                    false,
                    "0 (off) or a positive duration such as 10m or 1h",
                    raw -> raw.trim().equals("0") ? Duration.ZERO : Setting.parseDuration(raw));

    public static final Setting<Duration> PERIOD =
            Setting.duration(
                    "VIGIL_WATCHDOG_PERIOD",
                    "30s",
                    "how often the leading scheduler checks the scans past their deadline");

    public static final Setting<Integer> BATCH_SIZE =
            Setting.integer(
                    "VIGIL_WATCHDOG_BATCH_SIZE",
                    500,
                    1,
                    100_000,
                    "published scans the watchdog checks per round at most");

    /** The defaults: what a scheduler started without these settings runs with. */
    public static final WatchdogConfig DEFAULTS =
            new WatchdogConfig(
                    Duration.ofMinutes(15), Duration.ofSeconds(30), 500, Duration.ofMinutes(4));

    /** A fixed deadline: the watchdog never shortens it. */
    public WatchdogConfig(Duration deadline, Duration period, int batchSize) {
        this(deadline, period, batchSize, deadline);
    }

    public WatchdogConfig {
        if (floor.isNegative() || floor.compareTo(deadline) > 0) {
            throw new IllegalArgumentException(
                    "the shortest deadline must be between zero and "
                            + DEADLINE.name()
                            + "="
                            + deadline
                            + ", not "
                            + floor);
        }
        if (!deadline.isZero() && floor.isZero()) {
            throw new IllegalArgumentException("the shortest deadline must be positive");
        }
        if (deadline.isNegative()) {
            throw new IllegalArgumentException(
                    DEADLINE.name() + " must be zero (off) or positive, not " + deadline);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(PERIOD.name() + " must be positive, not " + period);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    BATCH_SIZE.name() + " must be 1 or more, not " + batchSize);
        }
    }

    public boolean enabled() {
        return !deadline.isZero();
    }

    /**
     * The settings of {@code env}, checked against the scheduler's lag bound: a deadline under
     * twice {@code maxLag} would call scans lost that only wait in a queue the scheduler allows.
     * The deadline adapts down to twice {@code maxLag} (to the deadline itself when the scheduler
     * has no lag bound).
     *
     * @throws ConfigException naming both settings when the deadline is too short
     */
    public static WatchdogConfig from(Env env, Duration maxLag) {
        Duration deadline = env.get(DEADLINE);
        Duration floor = maxLag.multipliedBy(2);
        if (deadline.compareTo(floor) < 0 || floor.isZero()) {
            floor = deadline;
        }
        WatchdogConfig c =
                new WatchdogConfig(deadline, env.get(PERIOD), env.get(BATCH_SIZE), floor);
        if (c.enabled() && c.deadline.compareTo(maxLag.multipliedBy(2)) < 0) {
            throw new ConfigException(
                    DEADLINE.name()
                            + "="
                            + c.deadline
                            + " is under twice "
                            + SchedulerConfig.MAX_LAG.name()
                            + "="
                            + maxLag
                            + ": scans waiting in the queue the scheduler allows would be called"
                            + " lost; raise the deadline or set it to 0 to turn the watchdog off");
        }
        return c;
    }
}
