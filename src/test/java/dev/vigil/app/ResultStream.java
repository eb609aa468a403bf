package dev.vigil.app;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ResultsSubmitException;
import dev.vigil.results.ScanResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Submits results of one zone target one after the other, each newer than the last, and records
 * every attempt: its scan id, when it started and ended, and whether the API acknowledged it (2xx)
 * or why not. Each result carries {@link #FINDINGS} findings whose resource keys start with its
 * scan id, so SQL can tell whether a stored scan has all its insights.
 */
final class ResultStream implements AutoCloseable {

    /** Findings per result. */
    static final int FINDINGS = 5;

    /** One submit. {@code failure} is null when the API acknowledged it. */
    record Attempt(UUID scanId, long startedNanos, long endedNanos, @Nullable String failure) {
        boolean acknowledged() {
            return failure == null;
        }
    }

    private final ResultsClient client;
    private final String accountId;
    private final String zoneId;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ResultStream(ResultsClient client, String accountId, String zoneId) {
        this.client = client;
        this.accountId = accountId;
        this.zoneId = zoneId;
        this.thread = Thread.ofPlatform().name("result-stream").unstarted(this::loop);
    }

    /** Starts submitting through {@code client} at once. */
    static ResultStream start(ResultsClient client, String accountId, String zoneId) {
        ResultStream s = new ResultStream(client, accountId, zoneId);
        s.thread.start();
        return s;
    }

    private void loop() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long i = 0;
        while (running) {
            UUID scanId = UUID.randomUUID();
            List<ResultFinding> findings = new ArrayList<>();
            for (int j = 0; j < FINDINGS; j++) {
                String key = scanId + "-" + j;
                findings.add(
                        new ResultFinding(
                                "failover.check",
                                key,
                                Severity.HIGH,
                                IssueType.INSECURE_CONFIGURATION,
                                key,
                                "planted for the failover test"));
            }
            ScanResult r =
                    new ScanResult(
                            scanId,
                            zoneId,
                            TargetKind.ZONE,
                            accountId,
                            zoneId,
                            base.plusSeconds(i++),
                            "failover-1",
                            List.of("failover.check"),
                            List.of(),
                            findings);
            long began = System.nanoTime();
            String failure = null;
            try {
                client.submit(r);
            } catch (ResultsSubmitException e) {
                failure = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            }
            attempts.add(new Attempt(scanId, began, System.nanoTime(), failure));
        }
    }

    /** Every attempt so far, in order. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Acknowledged attempts so far. */
    List<Attempt> acknowledged() {
        return attempts.stream().filter(Attempt::acknowledged).toList();
    }

    /** Stops after the submit in flight and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
