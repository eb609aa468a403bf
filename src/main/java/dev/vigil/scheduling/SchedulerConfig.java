package dev.vigil.scheduling;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;

/**
 * The scheduler's settings.
 *
 * @param maxRate a ceiling on scans per second whatever the computed rate, 0 for none
 * @param fixedRate scans per second instead of the adaptive rate, 0 for adaptive (benchmarks,
 *     tests)
 * @param maxLag the most work, in time at the lanes' recent rate, a lane may have waiting on the
 *     topic before the scheduler slows down ({@link Backpressure}); zero: never slows down
 */
public record SchedulerConfig(
        Duration recomputePeriod,
        double bufferFactor,
        int batchSize,
        double maxRate,
        double fixedRate,
        int slowAssetThreshold,
        Duration slowDurationThreshold,
        Duration maxLag) {

    public SchedulerConfig {
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException(
                    MAX_LAG.name() + " must be zero (off) or positive, not " + maxLag);
        }
    }

    /**
     * Settings without the lag bound (the scheduler never slows down), as before issue 20: the
     * tests and benchmarks that pin a rate.
     */
    public SchedulerConfig(
            Duration recomputePeriod,
            double bufferFactor,
            int batchSize,
            double maxRate,
            double fixedRate,
            int slowAssetThreshold,
            Duration slowDurationThreshold) {
        this(
                recomputePeriod,
                bufferFactor,
                batchSize,
                maxRate,
                fixedRate,
                slowAssetThreshold,
                slowDurationThreshold,
                Duration.ZERO);
    }

    /** These settings with {@code maxLag} as the lag bound. */
    public SchedulerConfig withMaxLag(Duration maxLag) {
        return new SchedulerConfig(
                recomputePeriod,
                bufferFactor,
                batchSize,
                maxRate,
                fixedRate,
                slowAssetThreshold,
                slowDurationThreshold,
                maxLag);
    }

    /** 30 minutes, as in the reference pipeline: often enough to follow the fleet's growth. */
    public static final Setting<Duration> RECOMPUTE_PERIOD =
            Setting.duration(
                    "VIGIL_SCHEDULER_RECOMPUTE_PERIOD",
                    "30m",
                    "how often the publish rate is recomputed");

    /** 20 % headroom to catch up after downtime without ever falling behind for good. */
    public static final Setting<Double> BUFFER_FACTOR =
            Setting.decimal(
                    "VIGIL_SCHEDULER_BUFFER_FACTOR",
                    1.2,
                    1.0,
                    10.0,
                    "multiplier on the steady-state rate");

    public static final Setting<Integer> BATCH_SIZE =
            Setting.integer(
                    "VIGIL_SCHEDULER_BATCH_SIZE",
                    500,
                    1,
                    100_000,
                    "due targets claimed per transaction");
    public static final Setting<Double> MAX_RATE =
            Setting.decimal("VIGIL_SCHEDULER_MAX_RATE", 0, 0, 1e7, "ceiling on scans/s (0 = none)");
    public static final Setting<Double> FIXED_RATE =
            Setting.decimal(
                    "VIGIL_SCHEDULER_FIXED_RATE",
                    0,
                    0,
                    1e7,
                    "scans/s instead of the adaptive rate (0 = adaptive)");
    public static final Setting<Integer> SLOW_ASSETS =
            Setting.integer(
                    "VIGIL_LANE_SLOW_ASSETS",
                    5_000,
                    1,
                    Integer.MAX_VALUE,
                    "targets with at least this many assets (records, members, tokens) go to the slow lane");
    public static final Setting<Duration> SLOW_DURATION =
            Setting.duration(
                    "VIGIL_LANE_SLOW_DURATION",
                    "2s",
                    "targets whose smoothed scan duration reaches this go to the slow lane");

    /**
     * 2 minutes of work: a backlog the workers clear in that time delays a scan by no more than a
     * plan interval's small fraction (the shortest interval is 1 h), while the lag of a burst or a
     * worker restart stays well under it; past it, more requests on the topic only age there.
     */
    public static final Setting<Duration> MAX_LAG =
            new Setting<>(
                    "VIGIL_SCHEDULER_MAX_LAG",
                    "2m",
                    "slow down while a lane's lag is more than this much of its workers' recent"
                            + " work (lag / consumption rate); 0 for never",
                    false,
                    "0 (off) or a positive duration such as 30s, 2m or 1h",
                    raw -> raw.trim().equals("0") ? Duration.ZERO : Setting.parseDuration(raw));

    public static SchedulerConfig from(Env env) {
        return new SchedulerConfig(
                env.get(RECOMPUTE_PERIOD),
                env.get(BUFFER_FACTOR),
                env.get(BATCH_SIZE),
                env.get(MAX_RATE),
                env.get(FIXED_RATE),
                env.get(SLOW_ASSETS),
                env.get(SLOW_DURATION),
                env.get(MAX_LAG));
    }
}
