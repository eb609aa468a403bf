package dev.vigil.scheduling;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import java.util.Map;

/**
 * The publish rate that scans every target once per its plan's interval: {@code Σ over plans
 * (targets on the plan / plan interval) × buffer factor}, in scans per second. A fixed rate falls
 * behind as the fleet grows; this one follows it at every recompute.
 */
public final class RatePlanner {
    private RatePlanner() {}

    public static double rate(
            Map<Plan, Long> targetsByPlan, PlanIntervals intervals, double buffer, double max) {
        double steady = 0;
        for (Map.Entry<Plan, Long> e : targetsByPlan.entrySet()) {
            double seconds = intervals.of(e.getKey()).toMillis() / 1000.0;
            steady += e.getValue() / seconds;
        }
        double r = steady * buffer;
        return max > 0 ? Math.min(r, max) : r;
    }
}
