package dev.vigil.sources.cloudflare;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the Cloudflare API and a DNS resolver, built once from the environment (or from a
 * command's options). The token is masked in {@link #toString()} and never logged.
 *
 * @param apiUrl the API's base URL, {@code …/client/v4}
 * @param token an API token (read-only permissions are enough: see the README's table)
 * @param requestsPerSecond the pace of all requests of this process with this token
 * @param timeout the most one request may take
 * @param dnsResolver {@code host:port} of a recursive resolver, or null for the machine's own
 * @param dnsTimeout the most one DNS query may wait
 */
public record CloudflareSettings(
        URI apiUrl,
        String token,
        double requestsPerSecond,
        Duration timeout,
        @Nullable String dnsResolver,
        Duration dnsTimeout) {

    /** Cloudflare's own address; the only default, so nothing else is reached unless configured. */
    public static final String DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";

    /**
     * Cloudflare allows 1,200 requests per five minutes per user and token: 4 per second uses the
     * whole allowance evenly.
     */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 4.0;

    public static final Setting<String> API_URL =
            Setting.string(
                    "VIGIL_CLOUDFLARE_API_URL",
                    DEFAULT_API_URL,
                    "base URL of the Cloudflare API v4");
    public static final Setting<String> TOKEN =
            Setting.secret(
                    "CLOUDFLARE_API_TOKEN",
                    null,
                    "a Cloudflare API token with the read permissions listed in the README");
    public static final Setting<Double> REQUESTS_PER_SECOND =
            Setting.decimal(
                    "VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND",
                    DEFAULT_REQUESTS_PER_SECOND,
                    0.01,
                    1_000,
                    "Cloudflare API requests per second per token, shared by every thread of the"
                            + " process");
    public static final Setting<Duration> TIMEOUT =
            Setting.duration(
                    "VIGIL_CLOUDFLARE_TIMEOUT",
                    "30s",
                    "the most one Cloudflare API request may take");
    public static final Setting<String> DNS_RESOLVER =
            Setting.string(
                    "VIGIL_DNS_RESOLVER",
                    "",
                    "host:port of the DNS resolver for the dangling-record checks (empty: the"
                            + " machine's own)");
    public static final Setting<Duration> DNS_TIMEOUT =
            Setting.duration("VIGIL_DNS_TIMEOUT", "3s", "the most one DNS query may wait");

    public CloudflareSettings {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "requests per second must be positive, got " + requestsPerSecond);
        }
        String scheme = apiUrl.getScheme();
        if (apiUrl.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
            throw new IllegalArgumentException(
                    "Cloudflare API URL '" + apiUrl + "' must be an http(s) URL with a host");
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("the Cloudflare API token is empty");
        }
        if (dnsResolver != null && dnsResolver.isBlank()) {
            dnsResolver = null;
        }
    }

    /** Every setting from the environment; {@code CLOUDFLARE_API_TOKEN} is required. */
    public static CloudflareSettings from(Env env) {
        String url = env.get(API_URL);
        try {
            return new CloudflareSettings(
                    URI.create(url.strip()),
                    env.get(TOKEN),
                    env.get(REQUESTS_PER_SECOND),
                    env.get(TIMEOUT),
                    env.get(DNS_RESOLVER),
                    env.get(DNS_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new dev.vigil.config.ConfigException(String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * These settings with another API URL or pace (a command's options win over the environment).
     */
    public CloudflareSettings with(@Nullable URI url, @Nullable Double perSecond) {
        return new CloudflareSettings(
                url == null ? apiUrl : url,
                token,
                perSecond == null ? requestsPerSecond : perSecond,
                timeout,
                dnsResolver,
                dnsTimeout);
    }

    /**
     * What identifies the credential to the pacer: a digest of the API URL and the token, so the
     * token itself is held nowhere else.
     */
    public String credentialKey() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(apiUrl.toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "CloudflareSettings[apiUrl="
                + apiUrl
                + ", token="
                + Env.mask(token)
                + ", requestsPerSecond="
                + requestsPerSecond
                + ", timeout="
                + timeout
                + ", dnsResolver="
                + (dnsResolver == null ? "(machine)" : dnsResolver)
                + ", dnsTimeout="
                + dnsTimeout
                + "]";
    }
}
