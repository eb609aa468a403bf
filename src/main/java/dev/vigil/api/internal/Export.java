package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One export format, written row by row as the rows are read from the database, so an export of any
 * size holds one insight in memory at a time.
 */
sealed interface Export permits CsvExport, JsonExport, OcsfExport, SarifExport {

    String contentType();

    String extension();

    /** Whether {@link #start} needs the export's rules (a pre-query over the same filter). */
    default boolean needsRules() {
        return false;
    }

    void start(OutputStream out, List<ExportRule> rules) throws IOException;

    void write(InsightView insight) throws IOException;

    /** Ends the document and flushes; the caller closes the stream. */
    void finish() throws IOException;

    /** The format named by the {@code format} query parameter. */
    static Export of(String format) {
        return switch (format) {
            case "csv" -> new CsvExport();
            case "json" -> new JsonExport();
            case "ocsf" -> new OcsfExport();
            case "sarif" -> new SarifExport();
            default ->
                    throw ApiProblem.badRequest(
                            "format",
                            "query parameter 'format' has an unknown value '"
                                    + format
                                    + "' (expected csv, json, ocsf or sarif)");
        };
    }
}
