package dev.vigil.alerts;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A destination as it may be shown: never a secret. A Slack destination shows its URL's host only.
 *
 * @param kind {@code webhook}, {@code slack} or {@code email}
 * @param url a webhook's URL; a Slack destination's host; null for e-mail
 * @param recipients an e-mail destination's addresses; empty for the others
 * @param previousSecretUntil while a webhook's secret rotation lasts, when the replaced secret
 *     stops signing; null otherwise
 * @param disabledAt when the receiver answered 410 Gone (or an operator disabled it); rules to it
 *     send nothing meanwhile
 */
public record DestinationView(
        long id,
        String accountId,
        String name,
        String kind,
        @Nullable String url,
        List<String> recipients,
        Instant createdAt,
        @Nullable Instant previousSecretUntil,
        @Nullable Instant disabledAt,
        @Nullable String disabledReason) {

    public DestinationView {
        recipients = List.copyOf(recipients);
    }
}
