package dev.vigil.api.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Instants as RFC 3339 timestamps, in UTC with a {@code Z}: how every instant leaves the API (JSON,
 * CSV, SARIF) and the one way instants are read from requests.
 *
 * <p>RFC 3339 has four-digit years only. {@link Instant#toString()} writes years past 9999 with a
 * sign ({@code +12000-01-01T00:00:00Z}), which no RFC 3339 parser reads (the dashboard showed "NaN
 * d ago"). Requests are therefore refused such instants, and an instant stored before that rule
 * existed is written as the nearest instant RFC 3339 can hold.
 */
public final class Rfc3339 {

    /** The first instant RFC 3339 can write. */
    static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");

    /** The last instant RFC 3339 can write (to the microsecond PostgreSQL keeps). */
    static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** For {@link Json#MAPPER}: every {@link Instant} written through {@link #format}. */
    static final SimpleModule MODULE =
            new SimpleModule("rfc3339")
                    .addSerializer(
                            Instant.class,
                            new ValueSerializer<Instant>() {
                                @Override
                                public void serialize(
                                        Instant value, JsonGenerator gen, SerializationContext c) {
                                    gen.writeString(format(value));
                                }
                            });

    private Rfc3339() {}

    /** {@code t} as {@code 2026-12-03T09:15:00Z} (with a fraction when it has one). */
    public static String format(Instant t) {
        Instant in = t.isBefore(FIRST) ? FIRST : t.isAfter(LAST) ? LAST : t;
        return DateTimeFormatter.ISO_INSTANT.format(in);
    }

    /**
     * The RFC 3339 timestamp {@code raw}, the value of request field or parameter {@code field}
     * ({@code what} says which, e.g. "field 'expires_at'"); 400 naming it otherwise, with an
     * example.
     */
    static Instant parse(String field, String what, String raw) {
        Instant t;
        try {
            t = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(field, refusal(what, raw));
        }
        if (t.isBefore(FIRST) || t.isAfter(LAST)) {
            throw ApiProblem.badRequest(
                    field, refusal(what, raw) + ": the year must have 4 digits");
        }
        return t;
    }

    private static String refusal(String what, String raw) {
        return what
                + " must be an RFC 3339 timestamp such as 2026-12-31T00:00:00Z, got '"
                + raw
                + "'";
    }
}
