package dev.vigil.alerts.internal;

import dev.vigil.alerts.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which answer of an HTTP receiver is which {@link DeliveryOutcome}: 2xx delivered; 408, 429 and
 * 5xx retried (with the receiver's {@code Retry-After}); 410 gone; 3xx refused (redirects are not
 * followed: the destination should name the final URL); any other status refused.
 */
public final class HttpVerdicts {

    /** How much of a receiver's body an error quotes. */
    private static final int QUOTE = 200;

    private HttpVerdicts() {}

    /** The verdict on {@code answer} from the receiver {@code label}. */
    public static DeliveryOutcome of(String label, HttpDelivery.Exchange.Answered answer) {
        int s = answer.status();
        Duration latency = answer.latency();
        String what = label + " answered " + s + quote(answer.body());
        if (s >= 200 && s < 300) {
            return new DeliveryOutcome.Delivered(s, latency);
        }
        if (s >= 300 && s < 400) {
            return new DeliveryOutcome.Refused(
                    s,
                    what
                            + " (a redirect; alert deliveries do not follow redirects: configure the"
                            + " final URL)",
                    latency);
        }
        if (s == 410) {
            return new DeliveryOutcome.Gone(
                    s, what + " (gone: the destination is disabled)", latency);
        }
        if (s == 408 || s == 429 || s >= 500) {
            return new DeliveryOutcome.Retry(s, what, answer.retryAfter(), latency);
        }
        return new DeliveryOutcome.Refused(s, what, latency);
    }

    /**
     * A {@code Retry-After} value as a wait from now: delay-seconds or an HTTP-date (RFC 9110
     * §10.2.3); a date in the past is zero; absent or unreadable is null (the dispatcher's own
     * backoff applies).
     */
    public static @Nullable Duration retryAfter(Optional<String> header) {
        String v = header.orElse("").strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /** {@code ": "} and the start of {@code body}, whitespace folded; empty for an empty body. */
    static String quote(String body) {
        String b = body.replaceAll("\\s+", " ").strip();
        if (b.isEmpty()) {
            return "";
        }
        return ": " + (b.length() > QUOTE ? b.substring(0, QUOTE) + "…" : b);
    }
}
