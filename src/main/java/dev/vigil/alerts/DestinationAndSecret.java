package dev.vigil.alerts;

import org.jspecify.annotations.Nullable;

/**
 * A destination with the signing secret just made for it: the only time a secret leaves the store
 * (at a webhook's creation and at each rotation). Its {@code toString} masks the secret.
 *
 * @param secret {@code whsec_} + base64, as the Standard Webhooks specification writes it; null for
 *     a kind that has no signing secret (Slack, e-mail)
 */
public record DestinationAndSecret(DestinationView destination, @Nullable String secret) {

    @Override
    public String toString() {
        return "DestinationAndSecret["
                + destination
                + (secret == null ? ", no secret]" : ", secret ****]");
    }
}
