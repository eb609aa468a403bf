package dev.vigil.results.internal;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultReader;
import dev.vigil.results.ScanHeader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Reads a scan result token by token: the header fields first, then one finding per {@link
 * #next()}, so memory stays constant however many findings the body holds. Unknown fields are
 * skipped (a newer worker may send more); a header field after {@code findings} is refused, because
 * the header must be known before the first finding is applied.
 */
public final class StreamingResultParser implements ResultReader {

    private final JsonParser p;
    private final ScanHeader header;
    private @Nullable ResultFinding pending;
    private boolean done;
    private long read;

    private StreamingResultParser(JsonParser p, ScanHeader header, boolean findingsFollow) {
        this.p = p;
        this.header = header;
        this.done = !findingsFollow;
    }

    /** Reads the header from {@code p}, leaving it positioned inside the findings array. */
    public static StreamingResultParser open(JsonParser p) {
        try {
            return readHeader(p);
        } catch (StreamReadException e) {
            p.close();
            throw malformedJson(p, e);
        } catch (JacksonIOException e) {
            p.close();
            throw badEncoding(e);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private static StreamingResultParser readHeader(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedResultException(
                    "$", "the body must be a JSON object (a ScanResult)");
        }
        String scanId = null, targetId = null, kind = null, accountId = null, zoneId = null;
        String scannedAt = null, ruleSetVersion = null;
        Long durationMs = null;
        List<String> evaluated = null, errored = null;
        Map<String, String> sectionErrors = Map.of();
        boolean findingsFollow = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "scan_id" -> scanId = ResultFields.text(p, v, name);
                case "target_id" -> targetId = ResultFields.text(p, v, name);
                case "kind" -> kind = ResultFields.text(p, v, name);
                case "account_id" -> accountId = ResultFields.text(p, v, name);
                case "zone_id" ->
                        zoneId = v == JsonToken.VALUE_NULL ? null : ResultFields.text(p, v, name);
                case "scanned_at" -> scannedAt = ResultFields.text(p, v, name);
                case "rule_set_version" -> ruleSetVersion = ResultFields.text(p, v, name);
                case "duration_ms" -> durationMs = ResultFields.duration(p, v);
                case "evaluated_checks" -> evaluated = ResultFields.strings(p, v, name);
                case "errored_checks" -> errored = ResultFields.strings(p, v, name);
                case "section_errors" -> sectionErrors = ResultFields.sectionErrors(p, v);
                case "findings" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw new MalformedResultException(
                                "findings", "field 'findings' must be an array of findings");
                    }
                    findingsFollow = true;
                }
                default -> p.skipChildren();
            }
            if (findingsFollow) {
                break;
            }
        }
        if (!findingsFollow && t != JsonToken.END_OBJECT) {
            throw new MalformedResultException("$", "the body must be one JSON object");
        }
        ScanHeader header =
                new ScanHeader(
                        ResultFields.parse("scan_id", scanId, UUID::fromString),
                        ResultFields.required("target_id", targetId),
                        ResultFields.parse("kind", kind, TargetKind::parse),
                        ResultFields.required("account_id", accountId),
                        zoneId,
                        ResultFields.parse("scanned_at", scannedAt, Instant::parse),
                        ResultFields.required("rule_set_version", ruleSetVersion),
                        ResultFields.required("evaluated_checks", evaluated),
                        errored == null ? List.of() : errored,
                        durationMs,
                        sectionErrors);
        if ((header.kind() == TargetKind.ZONE) != (zoneId != null)) {
            throw new MalformedResultException(
                    "zone_id",
                    "field 'zone_id' must be set for kind 'zone' and null for kind 'account' (kind"
                            + " is '"
                            + header.kind().wire()
                            + "', zone_id is "
                            + (zoneId == null ? "null" : "'" + zoneId + "'")
                            + ")");
        }
        return new StreamingResultParser(p, header, findingsFollow);
    }

    @Override
    public ScanHeader header() {
        return header;
    }

    @Override
    public long findingsRead() {
        return read;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !done) {
            try {
                pending = advance();
            } catch (StreamReadException e) {
                throw malformedJson(p, e);
            } catch (JacksonIOException e) {
                throw badEncoding(e);
            }
        }
        return pending != null;
    }

    @Override
    public ResultFinding next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more findings after " + read);
        }
        ResultFinding f = java.util.Objects.requireNonNull(pending);
        pending = null;
        read++;
        return f;
    }

    private @Nullable ResultFinding advance() {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            finish();
            return null;
        }
        String at = "findings[" + read + "]";
        if (t != JsonToken.START_OBJECT) {
            throw new MalformedResultException(at, "each finding must be a JSON object");
        }
        String checkId = null, resourceKey = null, severity = null, issueType = null;
        String subject = null, message = null;
        List<String> context = List.of();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            String path = at + "." + name;
            switch (name) {
                case "check_id" -> checkId = ResultFields.text(p, v, path);
                case "resource_key" -> resourceKey = ResultFields.text(p, v, path);
                case "severity" -> severity = ResultFields.text(p, v, path);
                case "issue_type" -> issueType = ResultFields.text(p, v, path);
                case "subject" -> subject = ResultFields.text(p, v, path);
                case "message" -> message = ResultFields.text(p, v, path);
                case "context" -> context = ResultFields.context(p, v, path);
                default -> p.skipChildren();
            }
        }
        return new ResultFinding(
                ResultFields.required(at + ".check_id", checkId),
                ResultFields.required(at + ".resource_key", resourceKey),
                ResultFields.parse(at + ".severity", severity, Severity::parse),
                ResultFields.parse(at + ".issue_type", issueType, IssueType::parse),
                ResultFields.required(at + ".subject", subject),
                ResultFields.required(at + ".message", message),
                context);
    }

    /** After the findings array: only unknown fields may follow, then the end of the object. */
    private void finish() {
        done = true;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            if (ResultFields.HEADER_FIELDS.contains(name)) {
                throw new MalformedResultException(
                        name,
                        "field '" + name + "' must come before 'findings' (findings come last)");
            }
            p.nextToken();
            p.skipChildren();
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw new MalformedResultException("$", "unexpected content after the result object");
        }
    }

    @Override
    public void close() {
        p.close();
    }

    /**
     * The body could not be read as text: its first bytes made Jackson pick an encoding (JSON may
     * be UTF-8, -16 or -32; {@code 00 00 00 00} selects UTF-32) that the rest does not follow, or
     * one it cannot read at all (UCS-4 with an unusual byte order). Both found by fuzzing. A client
     * that went away mid-body also lands here; it reads no answer, so 400 harms nobody.
     */
    private static RuntimeException badEncoding(JacksonIOException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new MalformedResultException(
                "$", "the body is not valid JSON text (send UTF-8): " + cause.getMessage(), e);
    }

    private static MalformedResultException malformedJson(JsonParser p, StreamReadException e) {
        String where =
                p.streamReadContext() == null
                        ? "$"
                        : p.streamReadContext().pathAsPointer().toString();
        return new MalformedResultException(
                where.isEmpty() ? "$" : where,
                "the body is not valid JSON at line "
                        + e.getLocation().getLineNr()
                        + " column "
                        + e.getLocation().getColumnNr()
                        + ": "
                        + e.getOriginalMessage(),
                e);
    }
}
