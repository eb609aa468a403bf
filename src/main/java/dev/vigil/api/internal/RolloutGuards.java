package dev.vigil.api.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The canary's guards (docs/rules.md, "Guards"): the canary share against the rest of the targets
 * over the canary so far. Pure: the counts come from the workers' reports and the scans table.
 *
 * @param minTargets a guard speaks only once the canary has this many targets (and scans)
 * @param maxErrorRate how much a check's ERROR share on the canary may exceed the rest's
 * @param maxOpened how many more insights per scanned target the canary may open than the rest
 * @param maxEvalRatio how many times the rest's mean evaluation time per scan the canary may take
 */
record RolloutGuards(int minTargets, double maxErrorRate, double maxOpened, double maxEvalRatio) {

    /** Defaults: a handful of targets, +10 % ERRORs, +0.5 opened per target, 3× the time. */
    static final RolloutGuards DEFAULTS = new RolloutGuards(5, 0.1, 0.5, 3.0);

    /**
     * An evaluation time within this much of the rest's never trips (a millisecond: below it the
     * ratio of two tiny means is noise).
     */
    static final long EVAL_SLACK_NANOS = 1_000_000;

    /** Applied evaluations and ERRORs of one check in one cohort. */
    record CheckCounts(long evaluations, long errors) {
        double rate() {
            return evaluations == 0 ? 0 : (double) errors / evaluations;
        }
    }

    /**
     * One cohort's counts.
     *
     * @param targets distinct targets with a scan applied since the canary began
     * @param opened insights those scans opened
     * @param scans scans the workers evaluated (their reports)
     * @param evalNanos the time those evaluations took
     * @param checks per check
     */
    record Cohort(
            long targets,
            long opened,
            long scans,
            long evalNanos,
            Map<String, CheckCounts> checks) {
        double openedPerTarget() {
            return targets == 0 ? 0 : (double) opened / targets;
        }

        double evalNanosPerScan() {
            return scans == 0 ? 0 : (double) evalNanos / scans;
        }
    }

    /** Why the canary must be rolled back, if a guard trips. */
    Optional<String> trip(Cohort canary, Cohort rest) {
        if (canary.targets() < minTargets && canary.scans() < minTargets) {
            return Optional.empty();
        }
        if (canary.targets() >= minTargets
                && canary.openedPerTarget() > rest.openedPerTarget() + maxOpened) {
            return Optional.of(
                    String.format(
                            Locale.ROOT,
                            "guard opened_per_target: the canary opened %.2f insights per scanned"
                                    + " target over %d targets, the rest %.2f over %d (limit: the"
                                    + " rest's + %.2f)",
                            canary.openedPerTarget(),
                            canary.targets(),
                            rest.openedPerTarget(),
                            rest.targets(),
                            maxOpened));
        }
        for (Map.Entry<String, CheckCounts> e : canary.checks().entrySet()) {
            CheckCounts c = e.getValue();
            if (c.evaluations() < minTargets) {
                continue;
            }
            CheckCounts r = rest.checks().getOrDefault(e.getKey(), new CheckCounts(0, 0));
            if (c.rate() - r.rate() > maxErrorRate) {
                return Optional.of(
                        String.format(
                                Locale.ROOT,
                                "guard error_rate: check %s ERRORed on %.1f %% of %d canary"
                                        + " evaluations, %.1f %% of %d elsewhere (limit: + %.1f"
                                        + " points)",
                                e.getKey(),
                                100 * c.rate(),
                                c.evaluations(),
                                100 * r.rate(),
                                r.evaluations(),
                                100 * maxErrorRate));
            }
        }
        if (canary.scans() >= minTargets && rest.scans() >= minTargets) {
            double c = canary.evalNanosPerScan();
            double r = rest.evalNanosPerScan();
            if (c > r * maxEvalRatio && c - r > EVAL_SLACK_NANOS) {
                return Optional.of(
                        String.format(
                                Locale.ROOT,
                                "guard eval_time: the canary took %.2f ms per scan to evaluate"
                                        + " over %d scans, the rest %.2f ms over %d (limit: %.1f×)",
                                c / 1e6,
                                canary.scans(),
                                r / 1e6,
                                rest.scans(),
                                maxEvalRatio));
            }
        }
        return Optional.empty();
    }
}
