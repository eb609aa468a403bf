package dev.vigil.api;

import dev.vigil.api.internal.ExportWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The export formats of the insights API (CSV, JSON, OCSF Compliance Finding, SARIF 2.1.0) for
 * callers outside the HTTP routes, such as {@code vigil check}: one writer, so a file exported from
 * the API and a report of the command line have the same shape.
 */
public final class Exports {
    /** The formats, as the {@code format} query parameter and {@code --format} name them. */
    public static final List<String> FORMATS = List.of("csv", "json", "ocsf", "sarif");

    private Exports() {}

    /**
     * Writes {@code insights} in {@code format} to {@code out} (which the caller closes).
     *
     * @param rules the checks present, needed by SARIF (which lists rules before results)
     * @throws IllegalArgumentException for a format not in {@link #FORMATS}
     */
    public static void write(
            String format, List<ExportRule> rules, Iterable<InsightView> insights, OutputStream out)
            throws IOException {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException(
                    "unknown format '" + format + "' (expected one of " + FORMATS + ")");
        }
        ExportWriter.write(format, rules, insights, out);
    }
}
