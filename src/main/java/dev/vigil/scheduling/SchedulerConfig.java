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
 */
public record SchedulerConfig(
        Duration recomputePeriod,
        double bufferFactor,
        int batchSize,
        double maxRate,
        double fixedRate,
        int slowAssetThreshold,
        Duration slowDurationThreshold) {

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

    public static SchedulerConfig from(Env env) {
        return new SchedulerConfig(
                env.get(RECOMPUTE_PERIOD),
                env.get(BUFFER_FACTOR),
                env.get(BATCH_SIZE),
                env.get(MAX_RATE),
                env.get(FIXED_RATE),
                env.get(SLOW_ASSETS),
                env.get(SLOW_DURATION));
    }
}
