package dev.vigil.api.internal;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The compliance mappings of a rule set turned around: for each framework, its controls in natural
 * order ({@code 4.1} before {@code 13.10}), each with the checks that test it. Immutable; built
 * once from the shipped catalogue ({@link #shipped()}), the same one {@code /v1/checks} shows.
 */
final class ComplianceCatalogue {

    /** One control of a framework and the checks mapped to it, in check id order. */
    record Control(ComplianceFramework framework, String id, List<CheckDefinition> checks) {
        Control {
            checks = List.copyOf(checks);
        }

        /** The ids of its checks. */
        List<String> checkIds() {
            return checks.stream().map(CheckDefinition::id).toList();
        }
    }

    private static final Comparator<CheckDefinition> BY_ID =
            Comparator.comparing(CheckDefinition::id);

    private static final class Shipped {
        static final ComplianceCatalogue INSTANCE = of(RuleSets.catalogue());
    }

    private final Map<ComplianceFramework, List<Control>> controls;
    private final Map<String, Map<String, List<String>>> byCheck;

    private ComplianceCatalogue(
            Map<ComplianceFramework, List<Control>> controls,
            Map<String, Map<String, List<String>>> byCheck) {
        this.controls = controls;
        this.byCheck = byCheck;
    }

    /** The catalogue of the shipped rule set. */
    static ComplianceCatalogue shipped() {
        return Shipped.INSTANCE;
    }

    /** The catalogue of {@code rules}. */
    static ComplianceCatalogue of(RuleSet rules) {
        Map<ComplianceFramework, Map<String, List<CheckDefinition>>> grouped =
                new EnumMap<>(ComplianceFramework.class);
        Map<String, Map<String, List<String>>> byCheck = new TreeMap<>();
        for (ComplianceFramework f : ComplianceFramework.values()) {
            grouped.put(f, new TreeMap<>(ControlOrder.INSTANCE));
        }
        for (CheckDefinition c : rules.checks()) {
            Map<String, List<String>> ids = new TreeMap<>();
            for (Map.Entry<String, List<String>> e : c.compliance().entrySet()) {
                // The parser refuses unknown frameworks; one known to it but not here is left out.
                ComplianceFramework.of(e.getKey())
                        .ifPresent(
                                f -> {
                                    for (String control : e.getValue()) {
                                        grouped.computeIfAbsent(
                                                        f,
                                                        k -> new TreeMap<>(ControlOrder.INSTANCE))
                                                .computeIfAbsent(control, k -> new ArrayList<>())
                                                .add(c);
                                    }
                                    ids.put(f.id(), List.copyOf(e.getValue()));
                                });
            }
            byCheck.put(c.id(), Collections.unmodifiableMap(ids));
        }
        Map<ComplianceFramework, List<Control>> controls = new EnumMap<>(ComplianceFramework.class);
        grouped.forEach(
                (f, byControl) -> {
                    List<Control> list = new ArrayList<>();
                    byControl.forEach(
                            (id, checks) ->
                                    list.add(
                                            new Control(
                                                    f,
                                                    id,
                                                    checks.stream().sorted(BY_ID).toList())));
                    controls.put(f, List.copyOf(list));
                });
        return new ComplianceCatalogue(controls, Collections.unmodifiableMap(byCheck));
    }

    /** The controls of {@code framework}, in natural order. */
    List<Control> controls(ComplianceFramework framework) {
        return controls.getOrDefault(framework, List.of());
    }

    /** Every check id mapped to some control of any framework. */
    Set<String> mappedChecks() {
        Set<String> out = new LinkedHashSet<>();
        for (List<Control> cs : controls.values()) {
            for (Control c : cs) {
                out.addAll(c.checkIds());
            }
        }
        return out;
    }

    /** The control ids of check {@code checkId} by framework id; empty when unmapped or unknown. */
    Map<String, List<String>> of(String checkId) {
        return byCheck.getOrDefault(checkId, Map.of());
    }

    /**
     * The controls of check {@code checkId} as {@code <framework>:<control>} (the form the {@code
     * compliance} filter takes), framework by framework; empty when unmapped or unknown.
     */
    List<String> labels(String checkId) {
        List<String> out = new ArrayList<>();
        of(checkId).forEach((f, ids) -> ids.forEach(id -> out.add(f + ":" + id)));
        return out;
    }

    /**
     * The check ids a filter value names: {@code <framework>} (every check mapped to it) or {@code
     * <framework>:<control>}.
     *
     * @throws ApiProblem 400 naming {@code param} for an unknown framework or control
     */
    List<String> checksOf(String param, String value) {
        int colon = value.indexOf(':');
        String fw = colon < 0 ? value : value.substring(0, colon);
        ComplianceFramework f =
                ComplianceFramework.of(fw)
                        .orElseThrow(
                                () ->
                                        ApiProblem.badRequest(
                                                param,
                                                "query parameter '"
                                                        + param
                                                        + "' has an unknown framework '"
                                                        + fw
                                                        + "' (expected one of "
                                                        + ComplianceFramework.ids()
                                                        + ", optionally followed by"
                                                        + " :<control>, e.g. cis_v8:4.1)"));
        Set<String> out = new LinkedHashSet<>();
        String control = colon < 0 ? null : value.substring(colon + 1);
        for (Control c : controls(f)) {
            if (control == null || c.id().equals(control)) {
                out.addAll(c.checkIds());
            }
        }
        if (out.isEmpty()) {
            throw ApiProblem.badRequest(
                    param,
                    "query parameter '"
                            + param
                            + "' names control '"
                            + control
                            + "', which no check of "
                            + f.id()
                            + " maps to (GET .../compliance/"
                            + f.id()
                            + " lists the controls)");
        }
        return List.copyOf(out);
    }
}
