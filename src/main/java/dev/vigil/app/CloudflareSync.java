package dev.vigil.app;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Target;
import dev.vigil.sources.cloudflare.CloudflareDiscovery;
import dev.vigil.sources.cloudflare.CloudflareException;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's periodic Cloudflare discovery: every {@code VIGIL_CLOUDFLARE_DISCOVERY_PERIOD},
 * while this scheduler is the active one, lists what the token sees and applies it to the inventory
 * ({@link FleetSync}: new targets, plans, asset counts, vanished zones retired). A failed listing
 * changes nothing and is tried again next period.
 *
 * <p>One virtual thread; {@link #close} interrupts it and waits for it to end.
 */
final class CloudflareSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CloudflareSync.class);

    static final Setting<String> PERIOD =
            Setting.string(
                    "VIGIL_CLOUDFLARE_DISCOVERY_PERIOD",
                    "",
                    "how often the scheduler lists the Cloudflare accounts and zones the token sees"
                            + " (e.g. 1h; empty: never)");

    private final Thread thread;

    private CloudflareSync(Thread thread) {
        this.thread = thread;
    }

    /** Starts the loop when the period is set; otherwise returns null and reads nothing else. */
    static @Nullable CloudflareSync startIf(Env env, FleetSync sync, BooleanSupplier leader) {
        String raw = env.get(PERIOD).strip();
        if (raw.isEmpty()) {
            return null;
        }
        Duration period;
        try {
            period = Setting.parseDuration(raw);
        } catch (IllegalArgumentException e) {
            throw new dev.vigil.config.ConfigException(
                    PERIOD.name()
                            + "="
                            + raw
                            + " is invalid: expected a duration such as 30m or 1h",
                    e);
        }
        CloudflareDiscovery discovery = CloudflareDiscovery.create(CloudflareSettings.from(env));
        Thread t =
                Thread.ofVirtual()
                        .name("cloudflare-discovery")
                        .start(
                                () -> {
                                    try (discovery) {
                                        loop(discovery, sync, leader, period);
                                    }
                                });
        return new CloudflareSync(t);
    }

    private static void loop(
            CloudflareDiscovery discovery,
            FleetSync sync,
            BooleanSupplier leader,
            Duration period) {
        while (!Thread.currentThread().isInterrupted()) {
            if (leader.getAsBoolean()) {
                try {
                    CloudflareDiscovery.Fleet fleet = discovery.discover(null, null, (a, z) -> {});
                    Map<String, Integer> assets = new LinkedHashMap<>();
                    for (Target z : fleet.zones()) {
                        assets.put(z.targetId(), discovery.assetCount(z.targetId()));
                    }
                    FleetSync.Summary s =
                            sync.apply(fleet.targets(), assets, "cloudflare-discovery");
                    log.info("cloudflare discovery: {}", s);
                } catch (CloudflareException e) {
                    log.warn(
                            "cloudflare discovery failed, inventory unchanged: {}", e.getMessage());
                } catch (RuntimeException e) {
                    log.error("cloudflare discovery failed, inventory unchanged", e);
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(period.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
