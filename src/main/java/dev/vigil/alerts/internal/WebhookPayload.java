package dev.vigil.alerts.internal;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of a webhook delivery, in the envelope the Standard Webhooks specification recommends
 * ({@code type}, {@code timestamp}, {@code data}); names are snake_case, times RFC 3339 in UTC. The
 * form is documented in {@code docs/webhooks.md}; a field is only ever added to it.
 *
 * @param type always {@value #TYPE}; a receiver should ignore types it does not know
 * @param timestamp when the message was made (not when this attempt was sent: that is the {@code
 *     webhook-timestamp} header)
 */
public record WebhookPayload(String type, String timestamp, Data data) {

    public static final String TYPE = "vigil.insights";

    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .build();

    /**
     * What the message is about.
     *
     * @param messageId the {@code webhook-id}: the same on every attempt of this message
     * @param ruleId null for a test sent without a rule
     * @param test a test message: its events are samples, not insights
     * @param dashboard the dashboard's address
     */
    public record Data(
            String messageId,
            String accountId,
            @Nullable Long ruleId,
            String ruleName,
            boolean test,
            String dashboard,
            List<Event> events) {}

    /**
     * One insight event.
     *
     * @param trigger {@code opened}, {@code reopened} or {@code resolved}
     * @param severity {@code low}, {@code moderate}, {@code high} or {@code critical}
     * @param at the scan time of the event
     * @param link the insight on the dashboard
     */
    public record Event(
            String trigger,
            long insightId,
            @Nullable String zoneId,
            String checkId,
            String severity,
            String issueType,
            String subject,
            String message,
            String at,
            String link) {}

    /** The payload of {@code m}. */
    public static WebhookPayload of(AlertMessage m) {
        List<Event> events = m.events().stream().map(e -> event(e, m)).toList();
        return new WebhookPayload(
                TYPE,
                m.createdAt().toString(),
                new Data(
                        m.messageId().toString(),
                        m.accountId(),
                        m.ruleId(),
                        m.ruleName(),
                        m.test(),
                        Digest.home(m.dashboard()),
                        events));
    }

    private static Event event(AlertEvent e, AlertMessage m) {
        return new Event(
                e.trigger().wire(),
                e.insightId(),
                e.zoneId(),
                e.checkId(),
                e.severity().wire(),
                e.issueType(),
                e.subject(),
                e.message(),
                time(e.at()),
                Digest.insightLink(m.dashboard(), e.insightId()));
    }

    private static String time(Instant at) {
        return at.toString();
    }

    /** The JSON text: exactly what is signed and sent. */
    public String json() {
        return JSON.writeValueAsString(this);
    }
}
