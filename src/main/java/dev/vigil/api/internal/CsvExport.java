package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, every field quoted when it holds a comma, quote, CR
 * or LF, quotes doubled. A field starting with {@code = + - @} (or tab, CR) is prefixed with a
 * single quote so a spreadsheet opening the file never runs it as a formula (OWASP's advice for CSV
 * injection); the values come from scanned, user-controlled configuration. The last column, {@code
 * compliance}, lists the check's controls as space-separated {@code <framework>:<control>}.
 */
final class CsvExport implements Export {

    static final List<String> HEADER =
            List.of(
                    "id",
                    "account_id",
                    "zone_id",
                    "issue_class",
                    "issue_type",
                    "severity",
                    "status",
                    "dismissed",
                    "classification",
                    "classification_lapsed",
                    "subject",
                    "resource_key",
                    "message",
                    "first_seen_at",
                    "last_seen_at",
                    "resolved_at",
                    "compliance");

    private @Nullable Writer out;

    @Override
    public String contentType() {
        return "text/csv; charset=utf-8; header=present";
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public void start(OutputStream stream, List<ExportRule> rules) throws IOException {
        out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        line(HEADER);
    }

    @Override
    public void write(InsightView i) throws IOException {
        line(
                List.of(
                        Long.toString(i.id()),
                        i.accountId(),
                        str(i.zoneId()),
                        i.issueClass(),
                        i.issueType(),
                        i.severity(),
                        i.status(),
                        Boolean.toString(i.dismissed()),
                        str(i.classification()),
                        Boolean.toString(i.classificationLapsed()),
                        i.subject(),
                        i.resourceKey(),
                        i.message(),
                        Rfc3339.format(i.firstSeenAt()),
                        Rfc3339.format(i.lastSeenAt()),
                        time(i.resolvedAt()),
                        String.join(" ", ComplianceCatalogue.shipped().labels(i.issueClass()))));
    }

    @Override
    public void finish() throws IOException {
        writer().flush();
    }

    private void line(List<String> fields) throws IOException {
        line(writer(), fields);
    }

    /** Writes one record of {@code fields}, each defused and quoted as needed, and a CRLF. */
    static void line(Writer w, List<String> fields) throws IOException {
        for (int f = 0; f < fields.size(); f++) {
            if (f > 0) {
                w.write(',');
            }
            w.write(field(fields.get(f)));
        }
        w.write("\r\n");
    }

    /** One field, defused and quoted as needed. */
    static String field(String raw) {
        String v = raw;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0
                || v.indexOf('"') >= 0
                || v.indexOf('\r') >= 0
                || v.indexOf('\n') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String time(java.time.@Nullable Instant t) {
        return t == null ? "" : Rfc3339.format(t);
    }

    private static String str(@Nullable Object o) {
        return o == null ? "" : o.toString();
    }

    private Writer writer() {
        if (out == null) {
            throw new IllegalStateException("CSV export written before start()");
        }
        return out;
    }
}
