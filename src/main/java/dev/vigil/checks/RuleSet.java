package dev.vigil.checks;

import dev.vigil.checks.internal.CompiledCheck;
import dev.vigil.checks.internal.DocumentContext;
import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, compiled set of checks with a version. Thread-safe: any number of threads may
 * evaluate documents at once. Obtain one from {@link RuleSets}.
 *
 * <p>Evaluation never throws for a bad document: whatever cannot be evaluated becomes an {@link
 * Outcome#ERROR} result with a reason, never a PASS or FAIL.
 */
public final class RuleSet {

    private final String version;
    private final List<CompiledCheck> compiled;
    private final Map<String, CompiledCheck> byId;
    private final List<CheckDefinition> definitions;
    // aligned with compiled; empty when this set does not count
    private final List<CheckStats.Counts> counts;

    RuleSet(String version, List<CompiledCheck> compiled) {
        this(version, compiled, List.of());
    }

    private RuleSet(String version, List<CompiledCheck> compiled, List<CheckStats.Counts> counts) {
        this.version = version;
        this.compiled = List.copyOf(compiled);
        this.counts = counts;
        Map<String, CompiledCheck> ids = new LinkedHashMap<>();
        List<CheckDefinition> defs = new ArrayList<>();
        for (CompiledCheck c : compiled) {
            ids.put(c.id(), c);
            defs.add(c.definition());
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.definitions = List.copyOf(defs);
    }

    /**
     * This set, counting every check it runs into {@code stats} (same checks, same version): what a
     * {@link RuleSetHolder} puts in force.
     */
    RuleSet countingInto(CheckStats stats) {
        return new RuleSet(
                version, compiled, compiled.stream().map(c -> stats.of(c.id())).toList());
    }

    /**
     * The same checks under the same version, evaluated by CEL's interpreter alone: without the
     * Java forms that answer the catalogue's expressions first. The baseline of {@code vigil bench
     * rules} and of the differential tests; not counting.
     */
    public RuleSet interpreted() {
        return new RuleSet(version, compiled.stream().map(CompiledCheck::interpreted).toList());
    }

    /**
     * This set under another version: a pushed rule set is known everywhere by the digest the API
     * registered it under, whatever catalogue the evaluating process ships ({@link
     * RuleSets#pushed}).
     */
    RuleSet labelled(String registered) {
        return new RuleSet(registered, compiled, counts);
    }

    /** A short hex digest of the rule files' contents; equal contents, equal version. */
    public String version() {
        return version;
    }

    /** Every check, ordered by id. */
    public List<CheckDefinition> checks() {
        return definitions;
    }

    public Optional<CheckDefinition> check(String id) {
        CompiledCheck c = byId.get(id);
        return c == null ? Optional.empty() : Optional.of(c.definition());
    }

    /** Runs every check that applies to {@code kind}. */
    public Evaluation evaluate(TargetKind kind, Map<String, Object> document) {
        return run(kind, document, null);
    }

    /**
     * Runs only the checks of {@code kind} whose {@code reads} intersect {@code changedSections}
     * (incremental scanning after a config change). The evaluation lists exactly the checks run.
     */
    public Evaluation evaluate(
            TargetKind kind, Map<String, Object> document, Set<String> changedSections) {
        return run(kind, document, Set.copyOf(changedSections));
    }

    /**
     * The top-level members the checks {@link #evaluate(TargetKind, Map, Set)} would run read: all
     * a document needs to hold for that evaluation. Each check declares its sections in {@code
     * reads}; every check also reads the fetch time (its {@code now}) and the permission markers.
     */
    public Set<String> sectionsRead(TargetKind kind, Set<String> changedSections) {
        Set<String> out = new java.util.TreeSet<>();
        out.add(DocumentContext.FETCHED_AT);
        out.add(DocumentContext.ERRORS);
        for (CompiledCheck c : compiled) {
            if (selected(c, kind, changedSections)) {
                out.addAll(c.definition().reads());
            }
        }
        return out;
    }

    /** The ids of the checks {@link #evaluate(TargetKind, Map, Set)} would run. */
    public List<String> affectedChecks(TargetKind kind, Set<String> changedSections) {
        return compiled.stream()
                .filter(c -> selected(c, kind, changedSections))
                .map(CompiledCheck::id)
                .toList();
    }

    private Evaluation run(
            TargetKind kind,
            Map<String, Object> document,
            @org.jspecify.annotations.Nullable Set<String> changed) {
        DocumentContext ctx = new DocumentContext(document, Instant.now());
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < compiled.size(); i++) {
            CompiledCheck c = compiled.get(i);
            if (selected(c, kind, changed)) {
                CheckResult r = c.evaluate(ctx);
                if (!counts.isEmpty()) {
                    counts.get(i).record(r.outcome());
                }
                results.add(r);
            }
        }
        return new Evaluation(version, results);
    }

    private static boolean selected(
            CompiledCheck c,
            TargetKind kind,
            @org.jspecify.annotations.Nullable Set<String> changed) {
        if (c.definition().appliesTo() != kind) {
            return false;
        }
        if (changed == null) {
            return true;
        }
        for (String section : c.definition().reads()) {
            if (changed.contains(section)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RuleSet[version=" + version + ", checks=" + compiled.size() + "]";
    }
}
