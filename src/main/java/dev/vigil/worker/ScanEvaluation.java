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
import java.util.TreeSet;
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
        return evaluate(ruleSet, decode(json, List.of(ruleSet)));
    }

    /**
     * {@code json} decoded once for evaluating it with each of {@code ruleSets} (a rollout's
     * applied and shadow versions): the whole document, or when sections changed only the sections
     * the checks to run of any of them read (ChangeChains' profile: parsing the whole document was
     * most of a change's evaluation). A check reads only the sections it declares (the rule file
     * parser refuses any other), so the sections another rule set asked for change no outcome.
     *
     * @throws dev.vigil.checks.BrokenDocumentException when {@code json} is not one JSON object
     */
    Map<String, Object> decode(byte[] json, List<RuleSet> ruleSets) {
        if (changedSections.isEmpty()) {
            return ConfigDocuments.parse(json);
        }
        Set<String> changed = Set.copyOf(changedSections);
        Set<String> sections = new TreeSet<>();
        for (RuleSet r : ruleSets) {
            sections.addAll(r.sectionsRead(target.kind(), changed));
        }
        return ConfigDocuments.parse(json, sections);
    }

    /** Evaluates a document {@link #decode decoded} for {@code ruleSet}; see above. */
    ScanResult evaluate(RuleSet ruleSet, Map<String, Object> parsed) {
        Evaluation ev =
                changedSections.isEmpty()
                        ? ruleSet.evaluate(target.kind(), parsed)
                        : ruleSet.evaluate(target.kind(), parsed, Set.copyOf(changedSections));
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
                ev.evaluatedCheckIds(),
                ev.erroredCheckIds(),
                out,
                null,
                sectionErrors);
    }
}
