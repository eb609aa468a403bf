package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * A SARIF 2.1.0 log with one run: one rule (reporting descriptor) per check, listed first, then one
 * result per insight, streamed. Insights have no source files, so each result is located by a
 * logical location (the account/zone and resource key); dismissed insights carry an external,
 * accepted suppression, resolved ones the {@code pass} kind.
 */
final class SarifExport implements Export {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private @Nullable JsonGenerator gen;
    private final Map<String, Integer> ruleIndex = new HashMap<>();

    @Override
    public String contentType() {
        return "application/sarif+json";
    }

    @Override
    public String extension() {
        return "sarif";
    }

    @Override
    public boolean needsRules() {
        return true;
    }

    @Override
    public void start(OutputStream out, List<ExportRule> rules) {
        JsonGenerator g = Json.MAPPER.createGenerator(out);
        gen = g;
        g.writeStartObject();
        g.writeStringProperty("$schema", SCHEMA);
        g.writeStringProperty("version", "2.1.0");
        g.writeArrayPropertyStart("runs");
        g.writeStartObject();
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "Vigil");
        driver.put("rules", rules.stream().map(SarifExport::rule).toList());
        g.writePOJOProperty("tool", Map.of("driver", driver));
        for (int n = 0; n < rules.size(); n++) {
            ruleIndex.put(rules.get(n).checkId(), n);
        }
        g.writeArrayPropertyStart("results");
    }

    private static Map<String, Object> rule(ExportRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.checkId());
        m.put("name", r.checkId());
        m.put("shortDescription", Map.of("text", r.checkId() + " (" + r.issueType() + ")"));
        m.put("defaultConfiguration", Map.of("level", level(r.severity())));
        m.put(
                "properties",
                Map.of(
                        "tags",
                        List.of(r.issueType(), OcsfExport.family(r.checkId())),
                        "severity",
                        r.severity()));
        return m;
    }

    @Override
    public void write(InsightView i) {
        if (gen == null) {
            throw new IllegalStateException("SARIF export written before start()");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ruleId", i.issueClass());
        Integer index = ruleIndex.get(i.issueClass());
        if (index != null) {
            r.put("ruleIndex", index);
        }
        boolean open = i.status().equals("open");
        r.put("kind", open ? "fail" : "pass");
        r.put("level", open ? level(i.severity()) : "none");
        r.put("message", Map.of("text", i.message()));
        String scope = i.zoneId() == null ? i.accountId() : i.accountId() + "/" + i.zoneId();
        r.put(
                "locations",
                List.of(
                        Map.of(
                                "logicalLocations",
                                List.of(
                                        Map.of(
                                                "name",
                                                i.subject(),
                                                "fullyQualifiedName",
                                                scope + "/" + i.resourceKey(),
                                                "kind",
                                                "resource")))));
        r.put("partialFingerprints", Map.of("vigilInsight/v1", i.accountId() + "/" + i.id()));
        if (i.dismissed()) {
            r.put(
                    "suppressions",
                    List.of(
                            Map.of(
                                    "kind",
                                    "external",
                                    "status",
                                    "accepted",
                                    "justification",
                                    "dismissed in Vigil")));
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("insight_id", i.id());
        props.put("severity", i.severity());
        props.put("issue_type", i.issueType());
        props.put("first_seen_at", Rfc3339.format(i.firstSeenAt()));
        props.put("last_seen_at", Rfc3339.format(i.lastSeenAt()));
        if (i.classification() != null) {
            props.put("classification", i.classification());
        }
        r.put("properties", props);
        gen.writePOJO(r);
    }

    /** SARIF level: critical and high are errors, moderate warnings, low notes. */
    static String level(String severity) {
        return switch (severity) {
            case "critical", "high" -> "error";
            case "moderate" -> "warning";
            default -> "note";
        };
    }

    @Override
    public void finish() throws IOException {
        if (gen == null) {
            throw new IllegalStateException("SARIF export finished before start()");
        }
        gen.writeEndArray(); // results
        gen.writeEndObject(); // run
        gen.writeEndArray(); // runs
        gen.writeEndObject();
        gen.flush();
    }
}
