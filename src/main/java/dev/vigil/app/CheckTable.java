package dev.vigil.app;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.CheckResult;
import dev.vigil.checks.Finding;
import dev.vigil.checks.Outcome;
import dev.vigil.checks.RuleSet;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The human table and the JSON report of {@code vigil check}. */
final class CheckTable {
    private CheckTable() {}

    static void write(List<OfflineCheck.Report> reports, RuleSet rules, PrintStream out) {
        for (OfflineCheck.Report r : reports) {
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            for (CheckResult cr : r.evaluation().results()) {
                counts.merge(cr.outcome(), 1, Integer::sum);
            }
            out.printf(
                    "%s — %s %s (rule set %s): %d checks, %d pass, %d fail, %d not applicable, %d error%n",
                    r.source(),
                    r.kind().wire(),
                    r.subject(),
                    r.evaluation().ruleSetVersion(),
                    r.evaluation().results().size(),
                    counts.getOrDefault(Outcome.PASS, 0),
                    counts.getOrDefault(Outcome.FAIL, 0),
                    counts.getOrDefault(Outcome.NOT_APPLICABLE, 0),
                    counts.getOrDefault(Outcome.ERROR, 0));
            List<String[]> rows = new ArrayList<>();
            r.evaluation().results().stream()
                    .filter(cr -> cr.outcome() == Outcome.FAIL)
                    .sorted(
                            Comparator.comparing((CheckResult cr) -> def(rules, cr).severity())
                                    .reversed()
                                    .thenComparing(CheckResult::checkId))
                    .forEach(
                            cr -> {
                                CheckDefinition d = def(rules, cr);
                                for (Finding f : cr.findings()) {
                                    rows.add(
                                            new String[] {
                                                d.severity()
                                                        .wire()
                                                        .toUpperCase(java.util.Locale.ROOT),
                                                d.id(),
                                                f.resourceKey(),
                                                f.message()
                                            });
                                }
                            });
            for (String[] row : rows) {
                out.printf("  %-9s %-40s %-34s %s%n", (Object[]) row);
            }
            for (CheckResult cr : r.evaluation().results()) {
                if (cr.outcome() == Outcome.ERROR) {
                    out.printf("  %-9s %-40s %s%n", "ERROR", cr.checkId(), cr.error());
                }
            }
        }
    }

    static void writeJson(List<OfflineCheck.Report> reports, RuleSet rules, PrintStream out) {
        List<Object> docs = new ArrayList<>();
        for (OfflineCheck.Report r : reports) {
            List<Object> results = new ArrayList<>();
            for (CheckResult cr : r.evaluation().results()) {
                CheckDefinition d = def(rules, cr);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check_id", cr.checkId());
                m.put("outcome", cr.outcome().name());
                m.put("severity", d.severity().wire());
                m.put("issue_type", d.issueType().wire());
                m.put("title", d.title());
                List<Object> fs = new ArrayList<>();
                for (Finding f : cr.findings()) {
                    fs.add(Map.of("resource_key", f.resourceKey(), "message", f.message()));
                }
                m.put("findings", fs);
                if (cr.error() != null) {
                    m.put("error", cr.error());
                }
                results.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("source", r.source());
            doc.put("kind", r.kind().wire());
            doc.put("account_id", r.accountId());
            if (r.zoneId() != null) {
                doc.put("zone_id", r.zoneId());
            }
            doc.put("subject", r.subject());
            if (!r.sectionErrors().isEmpty()) {
                doc.put("section_errors", new java.util.TreeMap<>(r.sectionErrors()));
            }
            doc.put("rule_set_version", r.evaluation().ruleSetVersion());
            doc.put("results", results);
            docs.add(doc);
        }
        out.println(
                JsonMapper.builder()
                        .build()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(docs));
    }

    private static CheckDefinition def(RuleSet rules, CheckResult cr) {
        return rules.check(cr.checkId())
                .orElseThrow(() -> new IllegalStateException("no check " + cr.checkId()));
    }
}
