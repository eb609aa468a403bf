package dev.vigil.app;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.sources.cloudflare.CloudflareConfigSource;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import dev.vigil.telemetry.Tracing;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * The worker's config source, chosen by {@code VIGIL_CONFIG_SOURCE}: {@code http} (the default: a
 * config service at {@code VIGIL_CONFIG_SOURCE_URL}) or {@code cloudflare} (the Cloudflare API v4
 * with {@code CLOUDFLARE_API_TOKEN}, paced per credential). Every setting of the chosen source is
 * read and validated by {@link #from}, before anything starts; {@link #open} builds it.
 */
sealed interface WorkerSources {

    Setting<String> KIND =
            Setting.string(
                    "VIGIL_CONFIG_SOURCE",
                    "http",
                    "where workers fetch documents: http (a config service) or cloudflare (the"
                            + " Cloudflare API v4)");

    Setting<String> URL =
            Setting.string(
                    "VIGIL_CONFIG_SOURCE_URL",
                    null,
                    "base URL of the config service the workers fetch documents from");
    Setting<String> TOKEN =
            Setting.secret(
                    "VIGIL_CONFIG_SOURCE_TOKEN",
                    "",
                    "bearer token for the config service (empty for none)");
    Setting<Duration> TIMEOUT =
            Setting.duration("VIGIL_CONFIG_SOURCE_TIMEOUT", "10s", "timeout of one config fetch");
    Setting<Integer> MAX_PER_HOST =
            Setting.integer(
                    "VIGIL_CONFIG_SOURCE_MAX_PER_HOST",
                    HttpConfigSource.DEFAULT_MAX_PER_HOST,
                    1,
                    100_000,
                    "config fetches in flight to one host at once (per worker process)");

    /** A config service over HTTP. */
    record Http(URI url, String token, Duration timeout, int maxPerHost) implements WorkerSources {}

    /** The Cloudflare API v4. */
    record Cloudflare(CloudflareSettings settings) implements WorkerSources {}

    static WorkerSources from(Env env) {
        String kind = env.get(KIND).strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "http" ->
                    new Http(
                            RoleSupport.uri(env, URL),
                            env.get(TOKEN),
                            env.get(TIMEOUT),
                            env.get(MAX_PER_HOST));
            case "cloudflare" -> new Cloudflare(CloudflareSettings.from(env));
            default ->
                    throw new dev.vigil.config.ConfigException(
                            "VIGIL_CONFIG_SOURCE="
                                    + kind
                                    + " is invalid: expected http or cloudflare");
        };
    }

    /** The source's timeout for one document fetch, also used for snapshot fetches. */
    default Duration fetchTimeout() {
        return switch (this) {
            case Http h -> h.timeout();
            case Cloudflare c -> c.settings().timeout();
        };
    }

    default ConfigSource open(Tracing tracing) {
        return switch (this) {
            case Http h ->
                    HttpConfigSource.create(
                            h.url(),
                            h.timeout(),
                            h.token().isEmpty() ? null : h.token(),
                            HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                            h.maxPerHost(),
                            tracing);
            case Cloudflare c -> CloudflareConfigSource.create(c.settings(), Clock.systemUTC());
        };
    }
}
