package dev.vigil.sources.cloudflare;

import dev.vigil.inventory.Target;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.PermanentSourceException;
import dev.vigil.sources.RetriableSourceException;
import dev.vigil.sources.cloudflare.internal.AccountSections;
import dev.vigil.sources.cloudflare.internal.ApiException;
import dev.vigil.sources.cloudflare.internal.CloudflareClient;
import dev.vigil.sources.cloudflare.internal.DnsLookups;
import dev.vigil.sources.cloudflare.internal.RatePacer;
import dev.vigil.sources.cloudflare.internal.ZoneSections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a target's zone or account document from the Cloudflare API v4 (about ten GET requests a
 * zone, more with many DNS records or tunnels), as {@code reference/CHECKS.md}'s mapping table
 * says.
 *
 * <p>Failures per section: a section the token may not read (403), or whose requests failed after
 * their retries, is named in the document's {@code _errors} with the reason, so its checks are
 * ERROR and the insights they hold stay as they are; the rest of the document is scanned. Only the
 * target object itself ({@code /zones/{id}}, {@code /accounts/{id}}) fails the fetch: 404 or a
 * refused permission or credential is a {@link PermanentSourceException}, an unreachable API a
 * {@link RetriableSourceException}.
 *
 * <p>Every request of the process with one token goes through one {@link RatePacer} (shared by all
 * sources, discoveries and threads with the same URL and token). Thread-safe; {@link #fetch} blocks
 * its (virtual) thread, for as long as the pace and any 429's {@code Retry-After} require.
 */
public final class CloudflareConfigSource implements ConfigSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Attempts per request for 5xx answers, timeouts and refused connections. */
    static final int MAX_ATTEMPTS = 5;

    /** How long one request may be held back by 429s in total before its section errors. */
    static final Duration RATE_LIMIT_BUDGET = Duration.ofMinutes(15);

    private final CloudflareClient api;
    private final ZoneSections zones;
    private final AccountSections accounts;
    private final Clock clock;

    private CloudflareConfigSource(CloudflareClient api, DnsLookups dns, Clock clock) {
        this.api = api;
        this.zones = new ZoneSections(api, dns);
        this.accounts = new AccountSections(api);
        this.clock = clock;
    }

    /** A source with the process-wide pacer of these settings' credential. */
    public static CloudflareConfigSource create(CloudflareSettings settings, Clock clock) {
        return new CloudflareConfigSource(
                client(settings),
                DnsLookups.create(settings.dnsResolver(), settings.dnsTimeout()),
                clock);
    }

    /** The paced client of these settings' credential; package-private for discovery. */
    static CloudflareClient client(CloudflareSettings settings) {
        return new CloudflareClient(
                settings.apiUrl(),
                settings.token(),
                RatePacer.shared(settings.credentialKey(), settings.requestsPerSecond()),
                settings.timeout(),
                MAX_ATTEMPTS,
                RATE_LIMIT_BUDGET);
    }

    @Override
    public ConfigDocument fetch(Target target) {
        long start = System.nanoTime();
        ObjectNode doc;
        try {
            doc =
                    switch (target.kind()) {
                        case ZONE -> zones.build(target.targetId());
                        case ACCOUNT -> accounts.build(target.targetId(), target.plan().wire());
                    };
        } catch (ApiException e) {
            String what = target.kind().wire() + " " + target.targetId() + ": " + e.getMessage();
            throw switch (e.kind()) {
                case UNAVAILABLE -> new RetriableSourceException(target.targetId(), what, e);
                case PERMISSION, AUTHENTICATION, NOT_FOUND, INVALID ->
                        new PermanentSourceException(target.targetId(), what, e);
            };
        }
        Instant now = clock.instant();
        doc.put("_fetched_at", now.toString());
        return new ConfigDocument(
                target,
                JSON.writeValueAsBytes(doc),
                now,
                Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        api.close();
    }
}
