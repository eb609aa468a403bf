package dev.vigil.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One documented setting: the environment variable, its default, a line of documentation, whether
 * it is secret, and how a raw string becomes a value. Parsing failures become a {@link
 * ConfigException} that names the variable and the (masked) value.
 *
 * @param defaultValue the raw default, or null when the setting is required
 */
public record Setting<T>(
        String name,
        @Nullable String defaultValue,
        String doc,
        boolean secret,
        String expected,
        Function<String, T> parser) {

    /** A required or defaulted string. */
    public static Setting<String> string(String name, @Nullable String def, String doc) {
        return new Setting<>(name, def, doc, false, "a string", s -> s);
    }

    /** A secret string: its value never appears in logs or error messages. */
    public static Setting<String> secret(String name, @Nullable String def, String doc) {
        return new Setting<>(name, def, doc, true, "a string", s -> s);
    }

    /** An integer within [min, max]. */
    public static Setting<Integer> integer(String name, int def, int min, int max, String doc) {
        String expected = "an integer from " + min + " to " + max;
        return new Setting<>(
                name,
                Integer.toString(def),
                doc,
                false,
                expected,
                s -> {
                    int v = Integer.parseInt(s.trim());
                    if (v < min || v > max) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    /** A decimal number within [min, max]. */
    public static Setting<Double> decimal(
            String name, double def, double min, double max, String doc) {
        String expected = "a number from " + min + " to " + max;
        return new Setting<>(
                name,
                Double.toString(def),
                doc,
                false,
                expected,
                s -> {
                    double v = Double.parseDouble(s.trim());
                    if (!(v >= min && v <= max)) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    /**
     * A positive duration written as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}
     * or ISO-8601 ({@code PT30S}).
     */
    public static Setting<Duration> duration(String name, String def, String doc) {
        return new Setting<>(
                name,
                def,
                doc,
                false,
                "a positive duration such as 250ms, 30s, 5m, 2h or 7d",
                Setting::parseDuration);
    }

    /** Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
    public static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.startsWith("p")) {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } else if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                d =
                        switch (s.charAt(s.length() - 1)) {
                            case 's' -> Duration.ofSeconds(n);
                            case 'm' -> Duration.ofMinutes(n);
                            case 'h' -> Duration.ofHours(n);
                            case 'd' -> Duration.ofDays(n);
                            default -> throw new IllegalArgumentException("unknown unit");
                        };
            }
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("not positive");
        }
        return d;
    }

    /** The value as it may be shown: the raw value, or a mask for secrets. */
    public String shown(@Nullable String raw) {
        if (raw == null) {
            return "(unset)";
        }
        return secret ? Env.mask(raw) : raw;
    }
}
