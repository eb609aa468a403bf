package dev.vigil.alerts;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The operator's SMTP server for e-mail destinations. Its recipients are not subject to {@link
 * OutboundPolicy}: the server is the operator's own choice, and an account only names mailboxes.
 * The password is masked in {@link #toString()} and never logged.
 *
 * @param user the login, or empty for a server that takes mail without one
 * @param from the sender, e.g. {@code Vigil <alerts@example.com>}
 * @param timeout the most connecting, and each SMTP command, may take
 */
public record SmtpConfig(
        String host,
        int port,
        String user,
        String password,
        String from,
        StartTls startTls,
        Duration timeout) {

    /** How the connection to the SMTP server is protected. */
    public enum StartTls {
        /** Upgrade with STARTTLS or fail: credentials and digests never cross the network clear. */
        REQUIRED,
        /** Upgrade when the server offers STARTTLS, else send in clear. */
        OPTIONAL,
        /** Never upgrade: for a server on the same host, and for tests. */
        OFF;

        static StartTls parse(String raw) {
            return StartTls.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        }
    }

    public static final Setting<String> HOST =
            Setting.string(
                    "VIGIL_SMTP_HOST",
                    "",
                    "the SMTP server of e-mail alert destinations; empty: e-mail alerts are off");
    public static final Setting<Integer> PORT =
            Setting.integer("VIGIL_SMTP_PORT", 587, 1, 65_535, "the SMTP server's port");
    public static final Setting<String> USER =
            Setting.string("VIGIL_SMTP_USER", "", "the SMTP login; empty: no login");
    public static final Setting<String> PASSWORD =
            Setting.secret("VIGIL_SMTP_PASSWORD", "", "the SMTP password (never logged)");
    public static final Setting<String> FROM =
            Setting.string(
                    "VIGIL_SMTP_FROM",
                    "",
                    "the From of alert e-mail, e.g. 'Vigil <alerts@example.com>'; required with"
                            + " VIGIL_SMTP_HOST");
    public static final Setting<StartTls> STARTTLS =
            new Setting<>(
                    "VIGIL_SMTP_STARTTLS",
                    "required",
                    "STARTTLS to the SMTP server: required, optional (upgrade when offered) or off",
                    false,
                    "required, optional or off",
                    StartTls::parse);

    /**
     * The SMTP settings, or null when {@code VIGIL_SMTP_HOST} is empty.
     *
     * @throws ConfigException when the host is set but {@code VIGIL_SMTP_FROM} is missing or is not
     *     an address
     */
    public static @Nullable SmtpConfig from(Env env, Duration timeout) {
        String host = env.get(HOST).strip();
        if (host.isEmpty()) {
            return null;
        }
        String from = env.get(FROM).strip();
        try {
            new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new ConfigException(
                    FROM.name()
                            + "="
                            + from
                            + " is invalid: expected an e-mail address such as 'Vigil"
                            + " <alerts@example.com>', required when "
                            + HOST.name()
                            + " is set");
        }
        return new SmtpConfig(
                host,
                env.get(PORT),
                env.get(USER),
                env.get(PASSWORD),
                from,
                env.get(STARTTLS),
                timeout);
    }

    @Override
    public String toString() {
        return "SmtpConfig["
                + host
                + ":"
                + port
                + ", user="
                + (user.isEmpty() ? "(none)" : user)
                + ", password="
                + (password.isEmpty() ? "(none)" : "****")
                + ", from="
                + from
                + ", starttls="
                + startTls.name().toLowerCase(Locale.ROOT)
                + "]";
    }
}
