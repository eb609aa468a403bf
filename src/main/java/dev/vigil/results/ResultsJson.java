package dev.vigil.results;

import dev.vigil.results.internal.StreamingResultParser;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire format of a scan result (snake_case JSON, documented in openapi.yaml as {@code
 * ScanResult}). The {@code findings} array is written last so that a reader can apply the header
 * (target lock, staleness check) before the findings arrive, and stream them.
 *
 * <pre>{@code
 * {"scan_id": "…", "target_id": "…", "kind": "zone", "account_id": "…", "zone_id": "…",
 *  "scanned_at": "2026-01-01T00:00:00Z", "rule_set_version": "…",
 *  "evaluated_checks": ["…"], "errored_checks": ["…"], "section_errors": {"…": "…"},
 *  "findings": [{"check_id": "…", "resource_key": "…", "severity": "high",
 *                "issue_type": "insecure_configuration", "subject": "…", "message": "…",
 *                "context": ["…"]}]}
 * }</pre>
 *
 * <p>{@code context} is optional (absent means none): the finding's offending values, at most
 * {@link dev.vigil.checks.Finding#MAX_CONTEXT_VALUES} strings.
 */
public final class ResultsJson {

    // The caller owns the stream (e.g. the HTTP request, which it may still drain after an error).
    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .build();

    private ResultsJson() {}

    /** Writes {@code result} to {@code out}, findings last; does not close {@code out}. */
    public static void write(ScanResult result, OutputStream out) {
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            ScanHeader h = ScanHeader.of(result);
            g.writeStartObject();
            g.writeStringProperty("scan_id", h.scanId().toString());
            g.writeStringProperty("target_id", h.targetId());
            g.writeStringProperty("kind", h.kind().wire());
            g.writeStringProperty("account_id", h.accountId());
            g.writeStringProperty("zone_id", h.zoneId());
            g.writeStringProperty("scanned_at", h.scannedAt().toString());
            g.writeStringProperty("rule_set_version", h.ruleSetVersion());
            if (h.durationMs() != null) {
                g.writeNumberProperty("duration_ms", h.durationMs());
            }
            g.writeArrayPropertyStart("evaluated_checks");
            for (String c : h.evaluatedChecks()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("errored_checks");
            for (String c : h.erroredChecks()) {
                g.writeString(c);
            }
            g.writeEndArray();
            if (!h.sectionErrors().isEmpty()) {
                g.writeObjectPropertyStart("section_errors");
                for (var e : new java.util.TreeMap<>(h.sectionErrors()).entrySet()) {
                    g.writeStringProperty(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeArrayPropertyStart("findings");
            for (ResultFinding f : result.findings()) {
                g.writeStartObject();
                g.writeStringProperty("check_id", f.checkId());
                g.writeStringProperty("resource_key", f.resourceKey());
                g.writeStringProperty("severity", f.severity().wire());
                g.writeStringProperty("issue_type", f.issueType().wire());
                g.writeStringProperty("subject", f.subject());
                g.writeStringProperty("message", f.message());
                if (!f.context().isEmpty()) {
                    g.writeArrayPropertyStart("context");
                    for (String v : f.context()) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** The JSON of {@code result} as UTF-8 bytes. */
    public static byte[] toBytes(ScanResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(result, out);
        return out.toByteArray();
    }

    /**
     * Starts reading a result from {@code in}: reads and validates the header now, the findings
     * lazily.
     *
     * @throws MalformedResultException naming the field when the header is invalid or the findings
     *     do not come last
     */
    public static ResultReader open(InputStream in) {
        JsonParser parser;
        try {
            parser = MAPPER.createParser(in);
        } catch (tools.jackson.core.exc.JacksonIOException e) {
            // the encoding is detected from the first bytes here (e.g. UCS-4 in an unusual order)
            throw new MalformedResultException(
                    "$", "the body is not valid JSON text (send UTF-8): " + e.getMessage(), e);
        }
        return StreamingResultParser.open(parser);
    }

    /** Reads a whole result into memory; for small results and tests only. */
    public static ScanResult read(InputStream in) {
        try (ResultReader r = open(in)) {
            java.util.List<ResultFinding> findings = new java.util.ArrayList<>();
            r.forEachRemaining(findings::add);
            ScanHeader h = r.header();
            return new ScanResult(
                    h.scanId(),
                    h.targetId(),
                    h.kind(),
                    h.accountId(),
                    h.zoneId(),
                    h.scannedAt(),
                    h.ruleSetVersion(),
                    h.evaluatedChecks(),
                    h.erroredChecks(),
                    findings,
                    h.durationMs(),
                    h.sectionErrors());
        }
    }
}
