package dev.vigil.alerts;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The alert dispatcher's settings.
 *
 * @param poll how long the dispatcher waits when it found nothing to group or deliver
 * @param lease how far a claimed message's next attempt moves ahead while it is being sent: a
 *     dispatcher that dies between claim and record leaves the message to be claimed again after it
 * @param backoffBase the first retry's ceiling; each retry doubles it, up to {@code backoffCap}
 * @param backoffCap the longest wait between two attempts (a receiver's {@code Retry-After} may ask
 *     for more and gets it)
 * @param giveUp how long after its creation a message is retried at most before it fails
 * @param concurrency messages one dispatcher sends at once (each on its own virtual thread)
 * @param groupBatch outbox rows grouped into messages per transaction at most
 * @param dashboard the dashboard's public address, for the links in messages
 * @param closeDeadline how long {@link AlertDispatcher#close()} waits for deliveries in flight
 */
public record DispatcherConfig(
        Duration poll,
        Duration lease,
        Duration backoffBase,
        Duration backoffCap,
        Duration giveUp,
        int concurrency,
        int groupBatch,
        URI dashboard,
        Duration closeDeadline) {

    /** A fifth of a second: an opened insight is in a message well within the 2 s target. */
    public static final Setting<Duration> POLL =
            Setting.duration(
                    "VIGIL_ALERT_POLL",
                    "200ms",
                    "how long the alert dispatcher waits when nothing was due");

    /** Longer than any sender's timeout (a webhook's is 10 s), so a live send never loses it. */
    public static final Setting<Duration> LEASE =
            Setting.duration(
                    "VIGIL_ALERT_LEASE",
                    "60s",
                    "how long a claimed alert message is held by its dispatcher; after it, another"
                            + " api replica sends it again with the same webhook-id");

    public static final Setting<Duration> BACKOFF_BASE =
            Setting.duration(
                    "VIGIL_ALERT_BACKOFF_BASE",
                    "1s",
                    "ceiling of the first retry's delay, doubled per attempt (full jitter)");

    public static final Setting<Duration> BACKOFF_CAP =
            Setting.duration(
                    "VIGIL_ALERT_BACKOFF_CAP",
                    "10m",
                    "longest delay between two attempts, unless the receiver's Retry-After asks"
                            + " for more");

    /** The 24 h: a receiver down for a day has had every chance. */
    public static final Setting<Duration> GIVE_UP =
            Setting.duration(
                    "VIGIL_ALERT_GIVE_UP",
                    "24h",
                    "how long after its creation an alert message is retried before it fails");

    public static final Setting<Integer> CONCURRENCY =
            Setting.integer(
                    "VIGIL_ALERT_CONCURRENCY",
                    32,
                    1,
                    10_000,
                    "alert messages one api replica sends at once");

    /** Empty: the API's own address (right for a demo, not behind a proxy). */
    public static final Setting<Optional<URI>> PUBLIC_URL =
            new Setting<>(
                    "VIGIL_PUBLIC_URL",
                    "",
                    "the dashboard's public address, for links in alerts (default: the API's own"
                            + " address + /dashboard/)",
                    false,
                    "an absolute http(s) URL such as https://vigil.example.com/dashboard/",
                    DispatcherConfig::parseUrl);

    /** Outbox rows per grouping transaction: bounds one transaction's locks and memory. */
    public static final int DEFAULT_GROUP_BATCH = 1_000;

    /** Well below the roles' shutdown timeout (30 s), which also covers the API's drain. */
    public static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(10);

    public DispatcherConfig {
        if (concurrency < 1 || groupBatch < 1) {
            throw new IllegalArgumentException(
                    "concurrency and group batch must be >= 1, got "
                            + concurrency
                            + " and "
                            + groupBatch);
        }
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "the backoff cap ("
                            + backoffCap
                            + ") is below its base ("
                            + backoffBase
                            + "): raise "
                            + BACKOFF_CAP.name());
        }
    }

    /**
     * The settings of {@code env}; without {@link #PUBLIC_URL}, links point at {@code apiBaseUrl}'s
     * {@code /dashboard/}.
     *
     * @throws dev.vigil.config.ConfigException naming a bad setting
     */
    public static DispatcherConfig from(Env env, URI apiBaseUrl) {
        return new DispatcherConfig(
                env.get(POLL),
                env.get(LEASE),
                env.get(BACKOFF_BASE),
                env.get(BACKOFF_CAP),
                env.get(GIVE_UP),
                env.get(CONCURRENCY),
                DEFAULT_GROUP_BATCH,
                env.get(PUBLIC_URL).orElseGet(() -> apiBaseUrl.resolve("/dashboard/")),
                DEFAULT_CLOSE_DEADLINE);
    }

    /** These settings with another poll interval, lease and backoff (tests, benchmarks). */
    public DispatcherConfig withTiming(Duration poll, Duration lease, Duration backoffBase) {
        return new DispatcherConfig(
                poll,
                lease,
                backoffBase,
                backoffCap.compareTo(backoffBase) < 0 ? backoffBase : backoffCap,
                giveUp,
                concurrency,
                groupBatch,
                dashboard,
                closeDeadline);
    }

    /** These settings with another close deadline. */
    public DispatcherConfig withCloseDeadline(Duration closeDeadline) {
        return new DispatcherConfig(
                poll,
                lease,
                backoffBase,
                backoffCap,
                giveUp,
                concurrency,
                groupBatch,
                dashboard,
                closeDeadline);
    }

    private static Optional<URI> parseUrl(String raw) {
        if (raw.isBlank()) {
            return Optional.empty();
        }
        URI uri = URI.create(raw.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("not an absolute http(s) URL");
        }
        return Optional.of(uri);
    }
}
