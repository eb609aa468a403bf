package dev.vigil.results.internal;

import dev.vigil.checks.Finding;
import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultReader;
import dev.vigil.results.ScanHeader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
                case "scan_id" -> scanId = text(p, v, name);
                case "target_id" -> targetId = text(p, v, name);
                case "kind" -> kind = text(p, v, name);
                case "account_id" -> accountId = text(p, v, name);
                case "zone_id" -> zoneId = v == JsonToken.VALUE_NULL ? null : text(p, v, name);
                case "scanned_at" -> scannedAt = text(p, v, name);
                case "rule_set_version" -> ruleSetVersion = text(p, v, name);
                case "duration_ms" -> durationMs = duration(p, v);
                case "evaluated_checks" -> evaluated = strings(p, v, name);
                case "errored_checks" -> errored = strings(p, v, name);
                case "section_errors" -> sectionErrors = sectionErrors(p, v);
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
                        parse("scan_id", scanId, UUID::fromString),
                        required("target_id", targetId),
                        parse("kind", kind, TargetKind::parse),
                        required("account_id", accountId),
                        zoneId,
                        parse("scanned_at", scannedAt, Instant::parse),
                        required("rule_set_version", ruleSetVersion),
                        required("evaluated_checks", evaluated),
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
                case "check_id" -> checkId = text(p, v, path);
                case "resource_key" -> resourceKey = text(p, v, path);
                case "severity" -> severity = text(p, v, path);
                case "issue_type" -> issueType = text(p, v, path);
                case "subject" -> subject = text(p, v, path);
                case "message" -> message = text(p, v, path);
                case "context" -> context = context(p, v, path);
                default -> p.skipChildren();
            }
        }
        return new ResultFinding(
                required(at + ".check_id", checkId),
                required(at + ".resource_key", resourceKey),
                parse(at + ".severity", severity, Severity::parse),
                parse(at + ".issue_type", issueType, IssueType::parse),
                required(at + ".subject", subject),
                required(at + ".message", message),
                context);
    }

    /** After the findings array: only unknown fields may follow, then the end of the object. */
    private void finish() {
        done = true;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            if (HEADER_FIELDS.contains(name)) {
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

    /** A day: longer than any scan; a larger figure is a unit mistake (micro- or nanoseconds). */
    private static final long MAX_DURATION_MS = 86_400_000L;

    private static @Nullable Long duration(JsonParser p, JsonToken v) {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedResultException(
                    "duration_ms", "field 'duration_ms' must be a whole number of milliseconds");
        }
        long ms = p.getLongValue();
        if (ms < 0 || ms > MAX_DURATION_MS) {
            throw new MalformedResultException(
                    "duration_ms",
                    "field 'duration_ms' is "
                            + ms
                            + " but must be between 0 and "
                            + MAX_DURATION_MS
                            + " (one day, in milliseconds)");
        }
        return ms;
    }

    private static final List<String> HEADER_FIELDS =
            List.of(
                    "scan_id",
                    "target_id",
                    "kind",
                    "account_id",
                    "zone_id",
                    "scanned_at",
                    "rule_set_version",
                    "duration_ms",
                    "evaluated_checks",
                    "errored_checks",
                    "section_errors",
                    "findings");

    @Override
    public void close() {
        p.close();
    }

    /** Sections a result may name at most; a document has about a dozen. */
    static final int MAX_SECTION_ERRORS = 100;

    /** Characters kept of one section's reason. */
    static final int MAX_REASON = 1_000;

    /** {@code {"section": "reason", …}}: strings only, at most {@link #MAX_SECTION_ERRORS}. */
    private static Map<String, String> sectionErrors(JsonParser p, @Nullable JsonToken v) {
        if (v != JsonToken.START_OBJECT) {
            throw new MalformedResultException(
                    "section_errors",
                    "field 'section_errors' must be an object of section names to reasons");
        }
        Map<String, String> out = new java.util.TreeMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String section = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new MalformedResultException(
                        "section_errors." + section,
                        "field 'section_errors." + section + "' must be a string (the reason)");
            }
            if (out.size() == MAX_SECTION_ERRORS) {
                throw new MalformedResultException(
                        "section_errors",
                        "field 'section_errors' names more than "
                                + MAX_SECTION_ERRORS
                                + " sections");
            }
            String reason = p.getString();
            out.put(
                    section,
                    reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason);
        }
        return out;
    }

    private static String text(JsonParser p, @Nullable JsonToken v, String field) {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedResultException(
                    field, "field '" + field + "' must be a string, got " + describe(v));
        }
        String s = p.getString();
        if (s.indexOf('\0') >= 0) {
            throw new MalformedResultException(
                    field, "field '" + field + "' must not contain a NUL character (\\u0000)");
        }
        return s;
    }

    private static List<String> strings(JsonParser p, @Nullable JsonToken v, String field) {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedResultException(
                    field, "field '" + field + "' must be an array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(text(p, t, field + "[" + out.size() + "]"));
        }
        return out;
    }

    /** A finding's context: an array of strings within the caps of {@link Finding}. */
    private static List<String> context(JsonParser p, @Nullable JsonToken v, String field) {
        if (v == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedResultException(
                    field, "field '" + field + "' must be an array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (out.size() == Finding.MAX_CONTEXT_VALUES) {
                throw new MalformedResultException(
                        field,
                        "field '"
                                + field
                                + "' holds more than "
                                + Finding.MAX_CONTEXT_VALUES
                                + " values (the cap per finding); send the first "
                                + Finding.MAX_CONTEXT_VALUES);
            }
            String s = text(p, t, field + "[" + out.size() + "]");
            if (s.length() > Finding.MAX_CONTEXT_VALUE_CHARS) {
                throw new MalformedResultException(
                        field + "[" + out.size() + "]",
                        "field '"
                                + field
                                + "["
                                + out.size()
                                + "]' is "
                                + s.length()
                                + " characters long (at most "
                                + Finding.MAX_CONTEXT_VALUE_CHARS
                                + " per context value)");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A present value; an absent one is named as missing. A header field is read only before the
     * findings array, so its message says so; a finding's field has no such rule.
     */
    private static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            boolean header = HEADER_FIELDS.contains(field);
            throw new MalformedResultException(
                    field,
                    "field '"
                            + field
                            + "' is required"
                            + (header
                                    ? " and must come before 'findings' (findings come last)"
                                    : ""));
        }
        return value;
    }

    private static <T> T parse(
            String field, @Nullable String value, java.util.function.Function<String, T> parser) {
        String v = required(field, value);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedResultException(
                    field,
                    "field '" + field + "' is invalid: '" + v + "' (" + e.getMessage() + ")");
        }
    }

    private static String describe(@Nullable JsonToken t) {
        return t == null ? "end of input" : t.name().toLowerCase(java.util.Locale.ROOT);
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
