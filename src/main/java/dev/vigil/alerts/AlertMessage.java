package dev.vigil.alerts;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message to one destination: the events of one scan (mode {@code immediate}) or of one window
 * (mode {@code digest}) that matched one rule. The id is stable across attempts: it is the Standard
 * Webhooks {@code webhook-id}, so a receiver can drop a repeat.
 *
 * @param ruleId the rule, or null for a message of the "send test" route sent without one
 * @param ruleName the rule's name (or {@code "test"}), for the message's title
 * @param test whether this is a test message with sample events
 * @param dashboard the dashboard's public address, for links to insights (e.g. {@code
 *     https://vigil.example.com/}); links are built as {@code dashboard + "#/insights/" + id}
 */
public record AlertMessage(
        UUID messageId,
        String accountId,
        @Nullable Long ruleId,
        String ruleName,
        boolean test,
        Instant createdAt,
        List<AlertEvent> events,
        URI dashboard) {

    public AlertMessage {
        events = List.copyOf(events);
    }
}
