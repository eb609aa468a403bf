package dev.vigil.alerts;

import java.net.URI;
import java.util.List;

/**
 * Where a rule's messages go, with its secrets opened (held in memory only while sending; stored
 * sealed, see {@link SecretBox}). Its {@code toString} never shows a secret.
 */
public sealed interface Destination {

    long id();

    String accountId();

    String name();

    /**
     * An HTTP endpoint receiving a JSON body signed by the Standard Webhooks specification.
     *
     * @param secrets the signing secrets ({@code whsec_} + base64), the current one first; two
     *     during a rotation, and the message carries a signature by each
     */
    record Webhook(long id, String accountId, String name, URI url, List<String> secrets)
            implements Destination {
        public Webhook {
            secrets = List.copyOf(secrets);
        }

        @Override
        public String toString() {
            return "Webhook[" + id + ", " + name + ", " + url + ", " + secrets.size() + " secrets]";
        }
    }

    /** A Slack incoming webhook; its URL is the secret. */
    record Slack(long id, String accountId, String name, URI webhookUrl) implements Destination {
        @Override
        public String toString() {
            return "Slack[" + id + ", " + name + ", " + webhookUrl.getHost() + "]";
        }
    }

    /** E-mail to these recipients through the operator's SMTP server. */
    record Email(long id, String accountId, String name, List<String> recipients)
            implements Destination {
        public Email {
            recipients = List.copyOf(recipients);
        }
    }
}
