package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Drives one {@link Export} over rows that are already at hand. */
public final class ExportWriter {
    private ExportWriter() {}

    public static void write(
            String format, List<ExportRule> rules, Iterable<InsightView> insights, OutputStream out)
            throws IOException {
        Export export = Export.of(format);
        export.start(out, rules);
        for (InsightView i : insights) {
            export.write(i);
        }
        export.finish();
    }
}
