package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/** A JSON array of OCSF 1.x Compliance Finding events ({@link OcsfEvent}), one per insight. */
final class OcsfExport implements Export {

    private @Nullable JsonGenerator gen;

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public String extension() {
        return "ocsf.json";
    }

    @Override
    public void start(OutputStream out, List<ExportRule> rules) {
        gen = Json.MAPPER.createGenerator(out);
        gen.writeStartArray();
    }

    @Override
    public void write(InsightView i) {
        if (gen == null) {
            throw new IllegalStateException("OCSF export written before start()");
        }
        gen.writePOJO(OcsfEvent.of(i));
    }

    @Override
    public void finish() throws IOException {
        if (gen == null) {
            throw new IllegalStateException("OCSF export finished before start()");
        }
        gen.writeEndArray();
        gen.flush();
    }
}
