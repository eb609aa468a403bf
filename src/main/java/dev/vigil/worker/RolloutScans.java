package dev.vigil.worker;

import dev.vigil.checks.Rollout;
import dev.vigil.checks.RolloutCounts;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rollout's part of one evaluation, shared by scheduled scans ({@link ScanHandler}) and config
 * changes ({@link ChangeHandler}): the version in force for the target (the candidate on a canary
 * target, else the active one), the candidate's shadow evaluation beside it (counted, never sent),
 * the cohort counts the API's guards compare, and the checks of a rolled-back candidate reported as
 * evaluated on a full scan so their insights resolve. Without a pushed rollout this is exactly the
 * evaluation with {@link RuleSetHolder#current()}.
 */
final class RolloutScans {

    private RolloutScans() {}

    /** Evaluates {@code json} of {@code evaluation}'s target with the rollout in force. */
    static ScanResult evaluate(RuleSetHolder rules, ScanEvaluation evaluation, byte[] json) {
        Rollout rollout = rules.rollout();
        String targetId = evaluation.target().targetId();
        RuleSet applied = rollout.forTarget(targetId);
        RuleSet candidate = rollout.candidate();
        @Nullable RuleSet shadow = candidate == null ? null : rollout.shadowFor(targetId);
        long t0 = System.nanoTime();
        // one decode for both versions while a rollout shadows one: the shadow's evaluation is
        // then the only extra work a rollout adds per scan
        Map<String, Object> parsed =
                evaluation.decode(
                        json, shadow == null ? List.of(applied) : List.of(applied, shadow));
        ScanResult result = evaluation.evaluate(applied, parsed);
        long evalNanos = System.nanoTime() - t0;
        if (candidate != null) {
            RolloutCounts counts = rules.rolloutCounts();
            counts.applied(
                    candidate.version(),
                    rollout.canary(targetId)
                            ? RolloutCounts.Cohort.CANARY
                            : RolloutCounts.Cohort.REST,
                    Set.copyOf(result.evaluatedChecks()),
                    Set.copyOf(result.erroredChecks()),
                    evalNanos);
            if (shadow != null) {
                ScanResult s = evaluation.evaluate(shadow, parsed);
                counts.shadow(
                        candidate.version(),
                        targetId,
                        keys(result.findings()),
                        Set.copyOf(s.evaluatedChecks()),
                        keys(s.findings()));
            }
        }
        if (!rollout.retired().isEmpty() && evaluation.changedSections().isEmpty()) {
            result = withRetired(result, rollout.retired());
        }
        return result;
    }

    private static Map<String, Set<String>> keys(List<ResultFinding> findings) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ResultFinding f : findings) {
            out.computeIfAbsent(f.checkId(), k -> new HashSet<>()).add(f.resourceKey());
        }
        return out;
    }

    /**
     * {@code result} with {@code retired} among its evaluated checks (those it ran keep their
     * outcome): the applied version has no such checks, so none has a finding and the results API
     * resolves what they left open.
     */
    private static ScanResult withRetired(ScanResult result, Set<String> retired) {
        Set<String> evaluated = new LinkedHashSet<>(result.evaluatedChecks());
        for (String id : retired) {
            if (!result.erroredChecks().contains(id)) {
                evaluated.add(id);
            }
        }
        return new ScanResult(
                result.scanId(),
                result.targetId(),
                result.kind(),
                result.accountId(),
                result.zoneId(),
                result.scannedAt(),
                result.ruleSetVersion(),
                List.copyOf(evaluated),
                result.erroredChecks(),
                result.findings(),
                result.durationMs(),
                result.sectionErrors());
    }
}
