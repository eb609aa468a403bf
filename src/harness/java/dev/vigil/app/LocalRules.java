package dev.vigil.app;

import dev.vigil.checks.RuleSetHolder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The rules of {@link LocalPipeline}'s workers, as a worker process gets them ({@code
 * WorkerRules}): the catalogue plus the watched directory, until a rule set pushed through the API
 * is active, then the rule rollout synced from the API (issue 23).
 */
final class LocalRules {

    /**
     * How often the pipeline's workers sync with the rule rollout: faster than the roles' 5 s, so a
     * promotion or a rollback reaches them in about a second.
     */
    static final Duration SYNC_EVERY = Duration.ofMillis(500);

    /** How often the directory is polled: the demo's edits show within seconds. */
    static final Duration DIR_POLL = Duration.ofSeconds(2);

    private LocalRules() {}

    /**
     * The holder, synced with the API at {@code api} once before this returns (call it before any
     * worker starts); it and its rollout client are owned by {@code lc}.
     */
    static RuleSetHolder start(Lifecycle lc, @Nullable Path dir, URI api, String serviceToken) {
        RuleSetHolder rules = lc.own("rules", RuleSetHolder.watching(dir, DIR_POLL));
        lc.own(
                "rule rollout",
                Wiring.ruleRollout(api, serviceToken, rules, SYNC_EVERY, "local-workers"));
        return rules;
    }
}
