package dev.vigil.results.internal;

import dev.vigil.checks.Finding;
import dev.vigil.results.MalformedResultException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The field readers of {@link StreamingResultParser}: each reads one value of the result's JSON at
 * the parser's current token, validates it, and names the field and the rule when it does not hold.
 * Stateless.
 */
final class ResultFields {

    private ResultFields() {}

    /** A day: longer than any scan; a larger figure is a unit mistake (micro- or nanoseconds). */
    static final long MAX_DURATION_MS = 86_400_000L;

    static @Nullable Long duration(JsonParser p, JsonToken v) {
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

    static final List<String> HEADER_FIELDS =
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

    /** Sections a result may name at most; a document has about a dozen. */
    static final int MAX_SECTION_ERRORS = 100;

    /** Characters kept of one section's reason. */
    static final int MAX_REASON = 1_000;

    /** {@code {"section": "reason", …}}: strings only, at most {@link #MAX_SECTION_ERRORS}. */
    static Map<String, String> sectionErrors(JsonParser p, @Nullable JsonToken v) {
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

    static String text(JsonParser p, @Nullable JsonToken v, String field) {
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

    static List<String> strings(JsonParser p, @Nullable JsonToken v, String field) {
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
    static List<String> context(JsonParser p, @Nullable JsonToken v, String field) {
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
    static <T> T required(String field, @Nullable T value) {
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

    static <T> T parse(
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

    static String describe(@Nullable JsonToken t) {
        return t == null ? "end of input" : t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
