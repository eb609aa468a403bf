package dev.vigil.app;

import dev.vigil.inventory.Target;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.ConfigSourceException;
import dev.vigil.sources.cloudflare.CloudflareDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * {@code vigil scan cloudflare} without Kafka or PostgreSQL: lists what a token sees, fetches each
 * target's document and evaluates it with the rule set, {@link #PARALLEL} targets at a time (the
 * credential's pacer, not this figure, bounds the request rate).
 *
 * <p>A target whose document cannot be fetched at all is reported as a {@link Failure}; the others
 * are evaluated as usual. Reports keep the discovery's order: accounts, then zones.
 */
public final class CloudflareScan {

    /** Targets fetched at once: enough to keep a paced credential busy across slow endpoints. */
    static final int PARALLEL = 8;

    private final CloudflareDiscovery discovery;
    private final ConfigSource source;
    private final OfflineCheck check;

    public CloudflareScan(CloudflareDiscovery discovery, ConfigSource source, OfflineCheck check) {
        this.discovery = discovery;
        this.source = source;
        this.check = check;
    }

    /** A target that could not be scanned, with the reason. */
    public record Failure(Target target, String reason) {}

    /** What a scan produced. */
    public record Outcome(List<OfflineCheck.Report> reports, List<Failure> failures) {}

    /** Told as the scan goes. */
    public interface Progress {
        void discovered(int accounts, int zones);

        void scanned(Target target, int done, int total);
    }

    /**
     * Scans every target the token sees, narrowed to one account id and/or zone name.
     *
     * @throws dev.vigil.sources.cloudflare.CloudflareException when the listing itself fails
     */
    public Outcome run(@Nullable String accountId, @Nullable String zoneName, Progress progress) {
        CloudflareDiscovery.Fleet fleet = discovery.discover(accountId, zoneName, (a, z) -> {});
        progress.discovered(fleet.accounts().size(), fleet.zones().size());
        List<Target> targets = fleet.targets();
        List<Future<Object>> results = new ArrayList<>();
        Semaphore slots = new Semaphore(PARALLEL);
        int[] done = {0};
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Target t : targets) {
                results.add(
                        pool.submit(
                                () -> {
                                    slots.acquire();
                                    try {
                                        return scanOne(t);
                                    } finally {
                                        slots.release();
                                        synchronized (done) {
                                            progress.scanned(t, ++done[0], targets.size());
                                        }
                                    }
                                }));
            }
            List<OfflineCheck.Report> reports = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get();
                if (r instanceof OfflineCheck.Report report) {
                    reports.add(report);
                } else if (r instanceof Failure failure) {
                    failures.add(failure);
                }
            }
            return new Outcome(reports, failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scan failed: " + e.getCause(), e.getCause());
        }
    }

    private Object scanOne(Target t) {
        String label = t.kind().wire() + " " + t.name() + " (" + t.targetId() + ")";
        ConfigDocument doc;
        try {
            doc = source.fetch(t);
        } catch (ConfigSourceException e) {
            return new Failure(t, String.valueOf(e.getMessage()));
        }
        try {
            return check.evaluate(label, doc.json());
        } catch (OfflineCheck.BadInputException e) {
            return new Failure(t, String.valueOf(e.getMessage()));
        }
    }
}
