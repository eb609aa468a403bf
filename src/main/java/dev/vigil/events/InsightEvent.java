package dev.vigil.events;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One transition of one insight, as queued in the outbox and published on {@link
 * Topics#insightEvents()}.
 *
 * @param eventId the event's identity, the same when it is published again after a failure
 * @param insightId unique within {@code accountId}
 * @param severity low, moderate, high or critical when the event was queued
 * @param classification the new classification of a {@link InsightEventKind#CLASSIFIED} event
 * @param actor {@code system} for what a scan did, else the API token's name
 * @param scanId the scan that opened, reopened or resolved the insight
 * @param occurredAt the scan time for what a scan saw, else when the change was made
 * @param recordedAt when the transaction that made the change started
 */
public record InsightEvent(
        UUID eventId,
        InsightEventKind kind,
        String accountId,
        @Nullable String zoneId,
        long insightId,
        String checkId,
        String resourceKey,
        String severity,
        @Nullable String classification,
        String actor,
        @Nullable UUID scanId,
        Instant occurredAt,
        Instant recordedAt) {

    /**
     * The Kafka key: the insight's identity within the deployment, so one insight's events go to
     * one partition and keep their order.
     */
    public String key() {
        return accountId + ":" + insightId;
    }
}
