package dev.vigil.app;

import dev.vigil.checks.CheckStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds a worker's per-check table ({@link CheckStats}) as counters tagged {@code check_id}: {@code
 * vigil_check_evaluations_total}, {@code vigil_check_failures_total}, {@code
 * vigil_check_errors_total}. Read at scrape time; a check added by a rule reload gets its counters
 * when it first runs.
 */
final class CheckMetrics {
    private CheckMetrics() {}

    static void bind(MeterRegistry r, CheckStats stats) {
        stats.forEachCheck(
                id -> {
                    CheckStats.Counts c = stats.of(id);
                    FunctionCounter.builder(
                                    "vigil_check_evaluations", c, CheckStats.Counts::evaluations)
                            .description("runs of the check on a document, whatever the outcome")
                            .tag("check_id", id)
                            .register(r);
                    FunctionCounter.builder("vigil_check_failures", c, CheckStats.Counts::failures)
                            .description("runs that found something (outcome FAIL)")
                            .tag("check_id", id)
                            .register(r);
                    FunctionCounter.builder("vigil_check_errors", c, CheckStats.Counts::errors)
                            .description(
                                    "runs that could not be evaluated (outcome ERROR: a CEL error"
                                            + " or a section the source could not read)")
                            .tag("check_id", id)
                            .register(r);
                });
    }
}
