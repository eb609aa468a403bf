package dev.vigil.api.internal;

import dev.vigil.api.internal.ComplianceReport.CheckStatus;
import dev.vigil.api.internal.ComplianceReport.ControlView;
import dev.vigil.api.internal.ComplianceReport.FrameworkView;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * A framework report as a file: CSV (one row per control, written by {@link CsvExport}'s RFC 4180
 * writer, formulas defused) or OCSF (a JSON array of Compliance Finding events, class 2003, one per
 * control, the same {@link OcsfEvent} the insight export writes). A report is at most a few hundred
 * controls, so it is built in memory and written at once.
 */
enum ComplianceExport {
    CSV("csv", "text/csv; charset=utf-8; header=present"),
    OCSF("ocsf.json", "application/json");

    /** The CSV columns; {@code checks} and {@code failing_checks} are space-separated check ids. */
    static final List<String> HEADER =
            List.of(
                    "framework",
                    "control",
                    "status",
                    "targets_scanned",
                    "passing",
                    "failing",
                    "checks",
                    "failing_checks");

    private final String extension;
    private final String contentType;

    ComplianceExport(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    String extension() {
        return extension;
    }

    String contentType() {
        return contentType;
    }

    /**
     * The format named by {@code format}.
     *
     * @throws ApiProblem 400 for a missing or unknown one
     */
    static ComplianceExport of(String format) {
        return switch (format) {
            case "csv" -> CSV;
            case "ocsf" -> OCSF;
            default ->
                    throw ApiProblem.badRequest(
                            "format",
                            "query parameter 'format' has an unknown value '"
                                    + format
                                    + "' (expected csv or ocsf)");
        };
    }

    /** Writes the report of {@code framework} in {@code scope} to {@code out} and flushes. */
    void write(
            OutputStream out,
            Scope scope,
            FrameworkView framework,
            List<ControlView> controls,
            Instant at)
            throws IOException {
        switch (this) {
            case CSV -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                CsvExport.line(w, HEADER);
                for (ControlView c : controls) {
                    CsvExport.line(
                            w,
                            List.of(
                                    c.framework(),
                                    c.control(),
                                    c.status(),
                                    Long.toString(c.targetsScanned()),
                                    Long.toString(c.passing()),
                                    Long.toString(c.failing()),
                                    String.join(
                                            " ", c.checks().stream().map(CheckStatus::id).toList()),
                                    String.join(
                                            " ",
                                            c.checks().stream()
                                                    .filter(k -> k.failing() > 0)
                                                    .map(CheckStatus::id)
                                                    .toList())));
                }
                w.flush();
            }
            case OCSF -> {
                JsonGenerator gen = Json.MAPPER.createGenerator(out);
                gen.writeStartArray();
                for (ControlView c : controls) {
                    gen.writePOJO(OcsfControls.event(scope, framework, c, at));
                }
                gen.writeEndArray();
                gen.flush();
            }
        }
    }
}
