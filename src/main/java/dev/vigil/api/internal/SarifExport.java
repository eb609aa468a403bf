package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
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
        g.writePOJOProperty(
                "tool",
                new SarifLog.Tool(
                        new SarifLog.Driver(
                                "Vigil", rules.stream().map(SarifLog.Rule::of).toList())));
        for (int n = 0; n < rules.size(); n++) {
            ruleIndex.put(rules.get(n).checkId(), n);
        }
        g.writeArrayPropertyStart("results");
    }

    @Override
    public void write(InsightView i) {
        if (gen == null) {
            throw new IllegalStateException("SARIF export written before start()");
        }
        gen.writePOJO(SarifLog.Result.of(i, ruleIndex.get(i.issueClass())));
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
