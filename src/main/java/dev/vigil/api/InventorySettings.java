package dev.vigil.api;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.LaneClassifier;
import dev.vigil.scheduling.SchedulerConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the inventory routes need: the plans' intervals (for the first-due jitter of an added
 * target), where on-demand scans go, the lane thresholds the scheduler uses, and how many on-demand
 * scan requests one account may make per minute.
 *
 * @param scanRequester null when the API runs without Kafka: the scan routes then answer 503
 * @param onDemandPerAccountPerMinute requests (of a zone or a whole account) per account and
 *     minute, per API instance
 */
public record InventorySettings(
        PlanIntervals intervals,
        @Nullable ScanRequester scanRequester,
        LaneClassifier lanes,
        int onDemandPerAccountPerMinute) {

    /** Ten on-demand requests per account and minute: enough for a person, not for a loop. */
    public static final int DEFAULT_ON_DEMAND_PER_MINUTE = 10;

    public InventorySettings {
        if (onDemandPerAccountPerMinute < 1) {
            throw new IllegalArgumentException(
                    "on-demand scans per account and minute must be at least 1, got "
                            + onDemandPerAccountPerMinute);
        }
    }

    public static final Setting<Integer> ON_DEMAND_PER_MINUTE =
            Setting.integer(
                    "VIGIL_API_ON_DEMAND_PER_MINUTE",
                    DEFAULT_ON_DEMAND_PER_MINUTE,
                    1,
                    100_000,
                    "on-demand scan requests one account may make per minute (per API instance)");

    /** Default intervals and lanes, no Kafka (scan routes answer 503). */
    public static InventorySettings withoutKafka() {
        return from(Env.of(Map.of()));
    }

    /**
     * Intervals ({@code VIGIL_INTERVAL_*}), lane thresholds ({@code VIGIL_LANE_*}) and the
     * on-demand limit from the environment; no Kafka yet.
     */
    public static InventorySettings from(Env env) {
        SchedulerConfig sc = SchedulerConfig.from(env);
        return new InventorySettings(
                PlanIntervals.from(env),
                null,
                new LaneClassifier(sc.slowAssetThreshold(), sc.slowDurationThreshold()),
                env.get(ON_DEMAND_PER_MINUTE));
    }

    /** These settings with on-demand scans sent to {@code requester}. */
    public InventorySettings withScanRequester(ScanRequester requester) {
        return new InventorySettings(intervals, requester, lanes, onDemandPerAccountPerMinute);
    }
}
