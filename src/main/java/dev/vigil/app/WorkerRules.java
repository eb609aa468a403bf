package dev.vigil.app;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.events.Lane;
import dev.vigil.worker.RuleRolloutClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a worker process: the shipped catalogue plus {@code VIGIL_RULES_DIR}, watched for
 * changes, until a rule set is pushed and made active through the API; from then on the rollout the
 * process syncs every {@code VIGIL_RULES_SYNC_EVERY} (issue 23).
 *
 * @param dir the rule directory, null for none
 * @param syncEvery how often the process syncs the rollout
 */
record WorkerRules(@Nullable Path dir, Duration syncEvery) {

    static final Setting<String> RULES_DIR =
            Setting.string(
                    "VIGIL_RULES_DIR",
                    "",
                    "directory of rule files added to the shipped catalogue (empty for none)");
    static final Setting<Duration> RULES_SYNC_EVERY =
            Setting.duration(
                    "VIGIL_RULES_SYNC_EVERY",
                    "5s",
                    "how often a worker syncs with the API's rule rollout (reports its counts,"
                            + " reads the versions in force); a rollout change reaches every worker"
                            + " within it");

    /** How often the directory is polled for changes. */
    static final Duration DIR_POLL = Duration.ofSeconds(5);

    static WorkerRules from(Env env) {
        String dir = env.get(RULES_DIR);
        return new WorkerRules(dir.isBlank() ? null : Path.of(dir), env.get(RULES_SYNC_EVERY));
    }

    /** The process's rules and its link to the rollout. */
    record Opened(RuleSetHolder rules, RuleRolloutClient rollout) {}

    /**
     * Loads the directory's set and syncs the rollout once (so the first scan applies the rollout
     * in force): call it before any consumer starts. Both are owned by {@code lc}.
     */
    Opened open(Lifecycle lc, URI api, String serviceToken, Lane lane) {
        RuleSetHolder rules = lc.own("rules", RuleSetHolder.watching(dir, DIR_POLL));
        RuleRolloutClient rollout =
                lc.own(
                        "rule rollout",
                        Wiring.ruleRollout(
                                api, serviceToken, rules, syncEvery, "worker-" + lane.wire()));
        return new Opened(rules, rollout);
    }
}
