package dev.vigil.app;

import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.worker.RuleRolloutClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The rule rollout's metrics (issue 23). A worker: {@code vigil_rules_generation} (the rollout
 * generation it holds), {@code vigil_rules_held{version, role}} (1 per version it holds, role
 * {@code active} or {@code candidate}; refreshed at each scrape), {@code
 * vigil_rules_sync_failures_total}. The api: {@code vigil_rule_rollbacks_total} (rollbacks so far,
 * automatic or by hand, read from the database at most every {@link #MAX_AGE}), which the alert
 * {@code VigilRuleRolloutRolledBack} watches.
 */
final class RolloutMetrics {
    static final Duration MAX_AGE = Duration.ofSeconds(15);

    private RolloutMetrics() {}

    static void worker(MeterRegistry r, RuleSetHolder rules, RuleRolloutClient client) {
        Gauge.builder("vigil_rules_generation", rules, h -> h.rollout().generation())
                .description("the rule-rollout generation this worker holds (0: nothing pushed)")
                .register(r);
        FunctionCounter.builder("vigil_rules_sync_failures", client, RuleRolloutClient::failures)
                .description("rule-rollout syncs with the API that failed")
                .register(r);
        MultiGauge held =
                MultiGauge.builder("vigil_rules_held")
                        .description(
                                "1 for each rule-set version this worker holds, by role (active,"
                                        + " candidate)")
                        .register(r);
        // refreshed when the rollout changes (on the sync thread), never during a scrape
        rules.onRollout(
                ro -> {
                    List<MultiGauge.Row<?>> rows = new ArrayList<>();
                    rows.add(row(ro.active(), "active"));
                    RuleSet c = ro.candidate();
                    if (c != null) {
                        rows.add(row(c, "candidate"));
                    }
                    held.register(rows, true);
                });
    }

    private static MultiGauge.Row<?> row(RuleSet set, String role) {
        return MultiGauge.Row.of(Tags.of("version", set.version(), "role", role), 1);
    }

    static void api(MeterRegistry r, DataSource ds) {
        Jdbi jdbi = Jdbi.create(ds);
        long[] cache = new long[2]; // value, read at (nanos)
        FunctionCounter.builder(
                        "vigil_rule_rollbacks",
                        jdbi,
                        j -> {
                            synchronized (cache) {
                                long now = System.nanoTime();
                                if (cache[1] == 0 || now - cache[1] > MAX_AGE.toNanos()) {
                                    try {
                                        cache[0] =
                                                j.withHandle(
                                                        h ->
                                                                h.createQuery(
                                                                                "select rollbacks from rule_rollout")
                                                                        .mapTo(Long.class)
                                                                        .findOne()
                                                                        .orElse(0L));
                                        cache[1] = now;
                                    } catch (RuntimeException e) {
                                        // keep the last value: a scrape never fails on the database
                                    }
                                }
                                return cache[0];
                            }
                        })
                .description("rule rollouts rolled back (by a guard or by hand)")
                .register(r);
    }
}
