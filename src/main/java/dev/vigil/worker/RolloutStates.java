package dev.vigil.worker;

import dev.vigil.checks.Rollout;
import dev.vigil.checks.RolloutStage;
import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.RuleSets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns the API's rollout state into a {@link Rollout}, compiling each pushed version once: the
 * compiled sets are kept by version while the state names them, and a version is fetched (through
 * {@code files}) and compiled the first time it is named. Used by one sync thread at a time.
 */
final class RolloutStates {

    private final Function<String, List<RuleFile>> files;
    private final Map<String, RuleSet> compiled = new ConcurrentHashMap<>();

    RolloutStates(Function<String, List<RuleFile>> files) {
        this.files = files;
    }

    /** The versions compiled and held, for the report. */
    List<String> held() {
        return compiled.keySet().stream().sorted().toList();
    }

    /**
     * The rollout {@code state} describes, null when nothing is pushed.
     *
     * @throws RuleRolloutException when a version cannot be fetched or does not compile here (the
     *     caller keeps the generation it holds)
     */
    @Nullable Rollout rollout(JsonNode state) {
        String active = text(state, "active");
        if (active == null) {
            compiled.clear();
            return null;
        }
        String candidate = text(state, "candidate");
        RolloutStage stage = RolloutStage.parse(state.path("stage").asString("none"));
        Set<String> retired = new HashSet<>();
        for (JsonNode r : state.path("retired")) {
            retired.add(r.asString());
        }
        RuleSet a = set(active);
        RuleSet c = candidate == null ? null : set(candidate);
        compiled.keySet().retainAll(candidate == null ? Set.of(active) : Set.of(active, candidate));
        return new Rollout(
                state.path("generation").asLong(),
                a,
                c,
                c,
                c == null ? RolloutStage.NONE : stage,
                stage == RolloutStage.CANARY ? state.path("percent").asInt() : 0,
                retired);
    }

    private RuleSet set(String version) {
        RuleSet s = compiled.get(version);
        if (s == null) {
            List<RuleFile> f = new ArrayList<>(files.apply(version));
            try {
                s = RuleSets.pushed(version, f);
            } catch (RuleSetException e) {
                throw new RuleRolloutException(
                        "rule set " + version + " does not compile here: " + e.getMessage(), e);
            }
            compiled.put(version, s);
        }
        return s;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
