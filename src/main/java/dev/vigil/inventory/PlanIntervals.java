package dev.vigil.inventory;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The scan interval of each plan. */
public record PlanIntervals(Map<Plan, Duration> byPlan) {

    public PlanIntervals {
        for (Plan p : Plan.values()) {
            if (!byPlan.containsKey(p)) {
                throw new IllegalArgumentException("no interval for plan " + p.wire());
            }
        }
        byPlan = Map.copyOf(byPlan);
    }

    public static Setting<Duration> setting(Plan plan) {
        return Setting.duration(
                "VIGIL_INTERVAL_" + plan.name(),
                plan.defaultInterval().toDays() + "d",
                "how often a target on the " + plan.wire() + " plan is scanned");
    }

    /** Defaults: free 7 d, pro 3 d, business 3 d, enterprise 1 d. */
    public static PlanIntervals defaults() {
        Map<Plan, Duration> m = new EnumMap<>(Plan.class);
        for (Plan p : Plan.values()) {
            m.put(p, p.defaultInterval());
        }
        return new PlanIntervals(m);
    }

    public static PlanIntervals from(Env env) {
        Map<Plan, Duration> m = new EnumMap<>(Plan.class);
        for (Plan p : Plan.values()) {
            m.put(p, env.get(setting(p)));
        }
        return new PlanIntervals(m);
    }

    /** Every plan scanned at the same interval: for demos and tests. */
    public static PlanIntervals uniform(Duration d) {
        Map<Plan, Duration> m = new EnumMap<>(Plan.class);
        for (Plan p : Plan.values()) {
            m.put(p, d);
        }
        return new PlanIntervals(m);
    }

    public Duration of(Plan plan) {
        Duration d = byPlan.get(plan);
        if (d == null) {
            throw new IllegalStateException("no interval for " + plan);
        }
        return d;
    }
}
