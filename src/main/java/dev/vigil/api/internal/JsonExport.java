package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON array of insights, as the list shows them plus {@code compliance} (the check's control ids
 * by framework, {@code {}} when unmapped), written one element at a time.
 */
final class JsonExport implements Export {

    private @Nullable JsonGenerator gen;

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public String extension() {
        return "json";
    }

    @Override
    public void start(OutputStream out, List<ExportRule> rules) {
        gen = Json.MAPPER.createGenerator(out);
        gen.writeStartArray();
    }

    @Override
    public void write(InsightView insight) {
        ObjectNode node = Json.MAPPER.valueToTree(insight);
        node.set(
                "compliance",
                Json.MAPPER.valueToTree(ComplianceCatalogue.shipped().of(insight.issueClass())));
        generator().writePOJO(node);
    }

    @Override
    public void finish() throws IOException {
        JsonGenerator g = generator();
        g.writeEndArray();
        g.flush();
    }

    private JsonGenerator generator() {
        if (gen == null) {
            throw new IllegalStateException("JSON export written before start()");
        }
        return gen;
    }
}
