package dev.vigil.alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a destination is made of, as a person asks for it; each kind checks its own settings in its
 * constructor and throws {@link InvalidAlertSettingException} naming the field. A spec holds a
 * Slack URL in clear: it lives only between the request and the sealing in {@link
 * AlertDestinations}, and its {@code toString} never shows it.
 */
public sealed interface DestinationSpec {

    /** The most characters of a URL. */
    int MAX_TEXT = 2_000;

    /** The most recipients of one e-mail destination. */
    int MAX_RECIPIENTS = 50;

    /**
     * A plain address: one {@code @}, a local part and a domain with a dot, no spaces, brackets or
     * display names (the recipients are envelope addresses, not headers a person writes).
     */
    Pattern ADDRESS =
            Pattern.compile(
                    "[^@\\s<>(),;:\"\\[\\]]+@[^@\\s<>(),;:\"\\[\\]]+\\.[^@\\s<>(),;:\"\\[\\].]+");

    String name();

    /** The kind as stored and shown: {@code webhook}, {@code slack} or {@code email}. */
    String kind();

    /** An HTTP endpoint receiving messages signed by the Standard Webhooks specification. */
    record Webhook(String name, URI url) implements DestinationSpec {
        public Webhook {
            checkName(name);
            url = httpUrl("url", url.toString());
        }

        @Override
        public String kind() {
            return "webhook";
        }
    }

    /** A Slack incoming webhook; its whole URL is the secret, sealed when stored. */
    record Slack(String name, URI webhookUrl) implements DestinationSpec {
        public Slack {
            checkName(name);
            webhookUrl = httpUrl("webhook_url", webhookUrl.toString());
        }

        @Override
        public String kind() {
            return "slack";
        }

        @Override
        public String toString() {
            return "Slack[" + name + ", " + webhookUrl.getHost() + "]";
        }
    }

    /** E-mail to these recipients through the operator's SMTP server. */
    record Email(String name, List<String> recipients) implements DestinationSpec {
        public Email {
            checkName(name);
            recipients = addresses(recipients);
        }

        @Override
        public String kind() {
            return "email";
        }
    }

    /**
     * {@code raw} as an absolute http(s) URL with a host and no user info (credentials in a URL end
     * up in logs and in the previews of chat tools).
     *
     * @throws InvalidAlertSettingException naming {@code field} otherwise
     */
    static URI httpUrl(String field, String raw) {
        URI u;
        try {
            u = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new InvalidAlertSettingException(
                    field, "field '" + field + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new InvalidAlertSettingException(
                    field,
                    "field '"
                            + field
                            + "' must be an absolute http or https URL (e.g."
                            + " https://hooks.example.com/vigil), got scheme '"
                            + scheme
                            + "'");
        }
        if (u.getRawUserInfo() != null) {
            throw new InvalidAlertSettingException(
                    field,
                    "field '"
                            + field
                            + "' must not carry user info (user:password@): credentials in a URL"
                            + " leak into logs; use the signing secret instead");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new InvalidAlertSettingException(
                    field, "field '" + field + "' must name a host (https://host/path)");
        }
        if (raw.length() > MAX_TEXT) {
            throw new InvalidAlertSettingException(
                    field, "field '" + field + "' may be at most " + MAX_TEXT + " characters");
        }
        return u;
    }

    private static void checkName(String name) {
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidAlertSettingException(
                    "name", "field 'name' is required: 1 to 200 characters");
        }
    }

    private static List<String> addresses(List<String> raw) {
        if (raw.isEmpty() || raw.size() > MAX_RECIPIENTS) {
            throw new InvalidAlertSettingException(
                    "recipients",
                    "field 'recipients' must list 1 to " + MAX_RECIPIENTS + " e-mail addresses");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String a = raw.get(i).strip();
            if (a.length() > 254 || !ADDRESS.matcher(a).matches()) {
                String field = "recipients[" + i + "]";
                throw new InvalidAlertSettingException(
                        field,
                        "field '"
                                + field
                                + "' is not an e-mail address: '"
                                + a
                                + "' (expected name@example.com)");
            }
            out.add(a);
        }
        return List.copyOf(out);
    }
}
