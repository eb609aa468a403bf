package dev.vigil.alerts;

import dev.vigil.alerts.internal.HttpDelivery;
import dev.vigil.alerts.internal.HttpVerdicts;
import dev.vigil.alerts.internal.SlackMessage;
import java.util.Map;
import java.util.Set;

/**
 * Sends a message to a Slack incoming webhook: {@code POST} of a Block Kit message ({@link
 * SlackMessage}: a header, the counts by severity, the {@value SlackMessage#TOP} worst insights
 * linked to the dashboard, "and N more", and the {@code text} fallback).
 *
 * <p>The webhook URL is the secret: error texts name only its host. Verdicts are those of {@link
 * HttpVerdicts}, except that Slack's answers for a webhook that no longer works (404 {@code
 * no_service} or {@code channel_not_found}, 410 {@code channel_is_archived}, 403 {@code
 * invalid_token}) are {@link DeliveryOutcome.Gone}: no retry will bring the channel back. Slack
 * answers a delivery 200 {@code ok}. The URL must pass the {@link OutboundPolicy} first. Blocks for
 * at most the timeout; thread-safe.
 */
public final class SlackSender {

    /** Slack's error bodies that mean the webhook or its channel is gone for good. */
    private static final Set<String> DEAD =
            Set.of("no_service", "channel_not_found", "channel_is_archived", "invalid_token");

    private final HttpDelivery http;

    public SlackSender(HttpDelivery http) {
        this.http = http;
    }

    /** Sends {@code message} to {@code destination} once and says how it went; never throws. */
    public DeliveryOutcome send(AlertMessage message, Destination.Slack destination) {
        long began = System.nanoTime();
        String host = destination.webhookUrl().getHost();
        String label = "Slack (" + (host == null ? "no host" : host) + ")";
        byte[] body = SlackMessage.of(message).json();
        return switch (http.post(destination.webhookUrl(), label, Map.of(), body, began)) {
            case HttpDelivery.Exchange.Answered a -> verdict(label, a);
            case HttpDelivery.Exchange.Failed f -> f.outcome();
        };
    }

    private static DeliveryOutcome verdict(String label, HttpDelivery.Exchange.Answered a) {
        int s = a.status();
        if ((s == 403 || s == 404 || s == 410) && DEAD.contains(a.body().strip())) {
            return new DeliveryOutcome.Gone(
                    s,
                    label
                            + " answered "
                            + s
                            + ": "
                            + a.body().strip()
                            + " (the webhook or its channel is gone: the destination is disabled)",
                    a.latency());
        }
        return HttpVerdicts.of(label, a);
    }
}
