package dev.vigil;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of the commands that call the Cloudflare API ({@code scan cloudflare}, {@code import
 * --from cloudflare}): they win over the environment's settings of the same name.
 */
final class CloudflareOptions {

    @Option(
            names = "--api-url",
            description =
                    "the Cloudflare API's base URL (default: VIGIL_CLOUDFLARE_API_URL, else "
                            + CloudflareSettings.DEFAULT_API_URL
                            + ")")
    @Nullable String apiUrl;

    @Option(
            names = "--requests-per-second",
            description =
                    "request pace for the token (default: VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND,"
                            + " else 4)")
    @Nullable Double requestsPerSecond;

    /**
     * The environment's settings with these options applied.
     *
     * @throws ConfigException naming the variable or option that is missing or invalid
     */
    CloudflareSettings settings(Env env) {
        try {
            URI url = apiUrl == null ? null : URI.create(apiUrl.strip());
            return CloudflareSettings.from(env).with(url, requestsPerSecond);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--api-url/--requests-per-second: " + e.getMessage(), e);
        }
    }
}
