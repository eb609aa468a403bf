package dev.vigil.worker;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.ConfigDocuments;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.Finding;
import dev.vigil.checks.RuleSet;
import dev.vigil.inventory.Target;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one evaluation step of both paths, a scheduled scan ({@link ScanHandler}) and a config change
 * ({@link ChangeHandler}): a document of a target, evaluated with a rule set, becomes the complete
 * {@link ScanResult} the results API applies. Pure: no I/O, no clock, no state; the caller fetched
 * the document and sends the result.
 *
 * @param scanId the scan's id (the request's; a change's derived from target and version)
 * @param target whose document it is
 * @param changedSections empty for every check of the target's kind, else only the checks reading
 *     these sections run
 * @param scannedAt the time the result stands for (the fetch; a change's push)
 */
record ScanEvaluation(UUID scanId, Target target, List<String> changedSections, Instant scannedAt) {

    /** The member of a document naming the sections its source could not read, and why. */
    static final String SECTION_ERRORS = "_errors";

    ScanEvaluation {
        changedSections = List.copyOf(changedSections);
    }

    /**
     * Evaluates {@code json}: every check of the target's kind, or, when sections changed, only the
     * checks reading them; the result lists exactly the checks run, so the results API resolves
     * only what those checks no longer find.
     *
     * @throws dev.vigil.checks.BrokenDocumentException when {@code json} is not one JSON object
     * @throws IllegalStateException when a finding names a check the rule set does not have
     */
    ScanResult evaluate(RuleSet ruleSet, byte[] json) {
        Map<String, Object> parsed;
        Evaluation ev;
        if (changedSections.isEmpty()) {
            parsed = ConfigDocuments.parse(json);
            ev = ruleSet.evaluate(target.kind(), parsed);
        } else {
            // only what the checks to run read (ChangeChains' profile: parsing the whole document
            // was most of a change's evaluation)
            Set<String> changed = Set.copyOf(changedSections);
            parsed = ConfigDocuments.parse(json, ruleSet.sectionsRead(target.kind(), changed));
            ev = ruleSet.evaluate(target.kind(), parsed, changed);
        }
        List<ResultFinding> out = new ArrayList<>();
        for (Finding f : ev.findings()) {
            CheckDefinition def =
                    ruleSet.check(f.checkId())
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "finding of unknown check " + f.checkId()));
            out.add(
                    new ResultFinding(
                            f.checkId(),
                            f.resourceKey(),
                            def.severity(),
                            def.issueType(),
                            target.name(),
                            f.message(),
                            f.context()));
        }
        Map<String, String> sectionErrors = new TreeMap<>();
        if (parsed.get(SECTION_ERRORS) instanceof Map<?, ?> errors) {
            errors.forEach((k, v) -> sectionErrors.put(String.valueOf(k), String.valueOf(v)));
        }
        return new ScanResult(
                scanId,
                target.targetId(),
                target.kind(),
                target.accountId(),
                target.zoneId(),
                scannedAt,
                ev.ruleSetVersion(),
                List.copyOf(ev.evaluatedCheckIds()),
                List.copyOf(ev.erroredCheckIds()),
                out,
                null,
                sectionErrors);
    }
}
