package dev.vigil.alerts;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.vigil.alerts.internal.HttpDelivery;
import dev.vigil.alerts.internal.HttpVerdicts;
import dev.vigil.alerts.internal.WebhookPayload;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends a message to a webhook destination: {@code POST} of the JSON of {@link WebhookPayload}
 * (documented in {@code docs/webhooks.md}), signed as the Standard Webhooks specification says with
 * its reference library. Headers: {@code webhook-id} (the message id, the same on every attempt),
 * {@code webhook-timestamp} (this attempt, Unix seconds) and {@code webhook-signature}: {@code
 * v1,<base64 HMAC-SHA256 of id.timestamp.body>} for each of the destination's secrets,
 * space-separated, the current one first, so a receiver verifies with either during a rotation.
 *
 * <p>Verdicts are those of {@link HttpVerdicts}; the destination's URL must pass the {@link
 * OutboundPolicy} first. Error texts name the receiver's host and port, never a secret. Blocks for
 * at most the timeout; thread-safe.
 */
public final class WebhookSender {

    private final HttpDelivery http;
    private final Clock clock;

    /**
     * A sender over {@code http}, signing with {@code clock}'s time.
     *
     * @param http the HTTP exchange, holding the outbound policy
     * @param clock the signature's timestamp (receivers refuse one more than 5 minutes off)
     */
    public WebhookSender(HttpDelivery http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** Sends {@code message} to {@code destination} once and says how it went; never throws. */
    public DeliveryOutcome send(AlertMessage message, Destination.Webhook destination) {
        long began = System.nanoTime();
        String label = "webhook receiver " + hostAndPort(destination);
        String body = WebhookPayload.of(message).json();
        String id = message.messageId().toString();
        long timestamp = clock.instant().getEpochSecond();
        List<String> signatures = new ArrayList<>();
        int n = 0;
        for (String secret : destination.secrets()) {
            n++;
            try {
                signatures.add(new Webhook(secret).sign(id, timestamp, body));
            } catch (IllegalArgumentException | WebhookSigningException e) {
                return refused(
                        "signing secret #"
                                + n
                                + " of destination "
                                + destination.id()
                                + " is not 'whsec_' followed by base64; rotate it",
                        began);
            }
        }
        if (signatures.isEmpty()) {
            return refused(
                    "destination " + destination.id() + " has no signing secret; rotate one in",
                    began);
        }
        Map<String, String> headers =
                Map.of(
                        "webhook-id", id,
                        "webhook-timestamp", Long.toString(timestamp),
                        "webhook-signature", String.join(" ", signatures));
        return switch (http.post(
                destination.url(), label, headers, body.getBytes(StandardCharsets.UTF_8), began)) {
            case HttpDelivery.Exchange.Answered a -> HttpVerdicts.of(label, a);
            case HttpDelivery.Exchange.Failed f -> f.outcome();
        };
    }

    static String hostAndPort(Destination.Webhook d) {
        String host = d.url().getHost() == null ? "(no host)" : d.url().getHost();
        return d.url().getPort() < 0 ? host : host + ":" + d.url().getPort();
    }

    private static DeliveryOutcome refused(String error, long began) {
        return new DeliveryOutcome.Refused(
                null, error, Duration.ofNanos(System.nanoTime() - began));
    }
}
