package dev.vigil.alerts;

import dev.vigil.alerts.internal.HttpDelivery;
import java.net.http.HttpClient;
import java.time.Clock;

/**
 * The one {@link Sender} the dispatcher calls: routes a message by its destination's type to {@link
 * WebhookSender}, {@link SlackSender} or {@link EmailSender}. Both HTTP senders go through one
 * {@link HttpDelivery} holding the {@link OutboundPolicy}, so no HTTP connection is opened to a
 * destination the policy refuses; e-mail goes to the operator's SMTP server only, whatever the
 * recipients' domains, and is not subject to the allow-list.
 *
 * <p>Owns its HTTP client: {@link #close()} closes it. Thread-safe.
 */
public final class Senders implements Sender, AutoCloseable {

    private final OutboundPolicy policy;
    private final HttpClient client;
    private final WebhookSender webhooks;
    private final SlackSender slack;
    private final EmailSender email;

    private Senders(
            OutboundPolicy policy,
            HttpClient client,
            WebhookSender webhooks,
            SlackSender slack,
            EmailSender email) {
        this.policy = policy;
        this.client = client;
        this.webhooks = webhooks;
        this.slack = slack;
        this.email = email;
    }

    /**
     * The senders of {@code config}, resolving host names with {@code resolver} ({@link
     * HostResolver#system()} in production) and signing and dating with {@code clock}.
     */
    public static Senders create(SenderConfig config, HostResolver resolver, Clock clock) {
        OutboundPolicy policy = OutboundPolicy.of(config.allowedHosts(), resolver);
        HttpClient client = HttpDelivery.newClient(config.timeout());
        HttpDelivery http = new HttpDelivery(client, policy, config.timeout());
        return new Senders(
                policy,
                client,
                new WebhookSender(http, clock),
                new SlackSender(http),
                EmailSender.of(config.smtp(), clock));
    }

    /**
     * The policy the HTTP senders apply, for checking a destination's URL when it is created (the
     * check is made again on every send: a name may resolve elsewhere later).
     */
    public OutboundPolicy policy() {
        return policy;
    }

    @Override
    public DeliveryOutcome send(AlertMessage message, Destination destination) {
        return switch (destination) {
            case Destination.Webhook w -> webhooks.send(message, w);
            case Destination.Slack s -> slack.send(message, s);
            case Destination.Email e -> email.send(message, e);
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
