package dev.vigil.alerts;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the senders reach destinations, built once at start from the environment: the outbound
 * allow-list, one attempt's timeout, and the SMTP server (null when {@code VIGIL_SMTP_HOST} is not
 * set: e-mail destinations are then refused).
 *
 * @param allowedHosts what {@link OutboundPolicy} allows beyond public addresses
 * @param timeout the most one attempt may take: connect, send, and the answer's headers and body
 */
public record SenderConfig(AllowedHosts allowedHosts, Duration timeout, @Nullable SmtpConfig smtp) {

    /** An attempt's timeout: a receiver that keeps us longer is retried, not waited on. */
    public static final String DEFAULT_TIMEOUT = "10s";

    public static final Setting<AllowedHosts> ALLOWED_HOSTS =
            new Setting<>(
                    "VIGIL_ALERT_ALLOWED_HOSTS",
                    "",
                    "alert webhook and Slack hosts allowed beyond public addresses: host names,"
                            + " *.domain wildcards, IP addresses and CIDR ranges, comma-separated"
                            + " (loopback, link-local, private, CGNAT, ULA, multicast and reserved"
                            + " addresses are refused unless listed)",
                    false,
                    "comma-separated host names, *.domain wildcards, IP addresses and CIDR ranges"
                            + " (e.g. hooks.internal.example,*.example.com,10.1.0.0/16)",
                    AllowedHosts::parse);

    public static final Setting<Duration> TIMEOUT =
            Setting.duration(
                    "VIGIL_ALERT_SEND_TIMEOUT",
                    DEFAULT_TIMEOUT,
                    "the most one alert delivery attempt may take (HTTP or SMTP); a slower one is"
                            + " retried");

    /** Reads every setting of the senders. */
    public static SenderConfig from(Env env) {
        Duration timeout = env.get(TIMEOUT);
        return new SenderConfig(env.get(ALLOWED_HOSTS), timeout, SmtpConfig.from(env, timeout));
    }
}
