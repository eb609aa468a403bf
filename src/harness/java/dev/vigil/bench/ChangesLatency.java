package dev.vigil.bench;

import static dev.vigil.bench.ChangesScenario.check;
import static dev.vigil.bench.Samples.median;

import dev.vigil.bench.ChangesScenario.Settings;
import dev.vigil.bench.ChangesScenario.Way;
import dev.vigil.bench.internal.ChangePusher;
import dev.vigil.bench.internal.ChangeRig;
import dev.vigil.bench.internal.DatabaseActivity;
import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.Target;
import dev.vigil.worker.ChangeHandler;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * The latency part of the {@code changes} scenario: pushes paced open-loop at half the saturation
 * rate, each timed from its planned push time to its result stored.
 */
final class ChangesLatency {
    /** Pushes in flight at once: the connections of the pusher's pool. */
    static final int PUSH_CONNECTIONS = 64;

    private final Settings s;
    private final PrintStream log;

    ChangesLatency(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Open-loop pushes at half the saturation rate, a lead-in and then the measured window; latency
     * from planned push to the result stored for that version, or for the newer version of the zone
     * it was folded into. The saturation is the smaller of the change pipeline's ({@code
     * saturation}, events/s) and the push route's with the change workers running ({@code
     * livePushRate}); {@code pushRate} is the route's with them stopped, for the report.
     */
    Way run(
            ChangeRig rig,
            ChangePusher pusher,
            boolean full,
            String name,
            List<Double> saturation,
            double pushRate,
            double livePushRate,
            double checksPerEvent,
            double foldedShare)
            throws InterruptedException {
        // Until 2026-12-04 the push route's rate with the workers stopped bounded this; with them
        // running each push also pays for its evaluation and results call on the same cores, so
        // half of that rate was close to all the machine could take, and the p99 swung between
        // 1 s and 19 s from run to run as a few seconds' extra work tipped a window into a queue.
        double rate = Math.min(median(saturation), livePushRate) / 2;
        log.printf(
                "bench changes: %s latency at %,.0f pushes/s for %d s…%n",
                name, rate, s.latencyWindow().toSeconds());
        // The saturation and intake rounds pushed far above this rate, and left autovacuum tens of
        // thousands of dead rows (the version ring's prune, insights, episodes, audit, scans): run
        // now, before the lead-in, so the window after it is the steady state, not the first way's
        // share of that cleanup. Runs on 2026-12-04 without it opened Vigil's window (always the
        // first) on up to 67,000 dead TOAST rows with autovacuums ending in it.
        String vacuumed = DatabaseActivity.vacuumAll(rig.database());
        log.printf("bench changes: %s: before the lead-in, %s%n", name, vacuumed);
        rig.start();
        // steady state: the group's join (seconds) is not a change's latency
        rig.awaitJoined(s.drainTimeout());
        DatabaseActivity activity = DatabaseActivity.open(rig.database());
        log.printf(
                "bench changes: %s lead-in opens with %s%n",
                name, String.join(", ", activity.queuedAtOpen()));
        Map<Target, NavigableMap<Long, long[]>> planned = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        long[] unchanged = {0};
        List<Thread> inFlight = new ArrayList<>();
        // A pusher holds a bounded pool of connections, as an integration would. Without a bound
        // every push late behind a slow second opened a connection of its own (hundreds, when the
        // API fell seconds behind), and their setup deepened the backlog that caused them. A push
        // waiting for a connection is still timed from its planned time: the wait counts.
        Semaphore connections = new Semaphore(PUSH_CONNECTIONS);
        long t0 = System.nanoTime();
        long leadIn = s.latencyLeadIn().toNanos();
        long total =
                (long) (rate * (s.latencyLeadIn().toSeconds() + s.latencyWindow().toSeconds()));
        for (long i = 0; i < total; i++) {
            long at = t0 + (long) (i * 1e9 / rate);
            long wait = at - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int zone = (int) (i % pusher.zones());
            inFlight.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            connections.acquire();
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                            return;
                                        }
                                        try {
                                            ChangePusher.Pushed r = pusher.push(zone, full);
                                            if (r.status() == 202) {
                                                planned.computeIfAbsent(
                                                                r.target(),
                                                                k -> new ConcurrentSkipListMap<>())
                                                        .put(
                                                                r.version(),
                                                                new long[] {at, System.nanoTime()});
                                            } else {
                                                synchronized (unchanged) {
                                                    unchanged[0]++;
                                                }
                                            }
                                        } catch (RuntimeException e) {
                                            errors.add(e);
                                        } finally {
                                            connections.release();
                                        }
                                    }));
            if (!errors.isEmpty()) {
                break;
            }
        }
        for (Thread t : inFlight) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new BenchFailedException("changes: a push failed: " + errors.getFirst());
        }
        List<long[]> samples = new ArrayList<>();
        List<Long> leadInLatencies = new ArrayList<>();
        for (Map.Entry<Target, NavigableMap<Long, long[]>> e : planned.entrySet()) {
            for (long[] l : latencies(rig, e.getKey(), e.getValue())) {
                if (l[0] - t0 < leadIn) {
                    leadInLatencies.add(l[1]);
                } else {
                    samples.add(new long[] {l[0] - t0 - leadIn, l[1], l[2]});
                }
            }
        }
        rig.stop();
        List<String> background = new ArrayList<>();
        background.add("before the lead-in, " + vacuumed);
        background.add(
                "queued when the lead-in opened: " + String.join(", ", activity.queuedAtOpen()));
        background.addAll(activity.since());
        LatencyTimeline timeline = LatencyTimeline.of(samples);
        long[] sorted = samples.stream().mapToLong(l -> l[1]).toArray();
        Arrays.sort(sorted);
        double offered = total / ((System.nanoTime() - t0) / 1e9);
        double leadInP99 =
                leadInLatencies.isEmpty()
                        ? Double.NaN
                        : Samples.percentile(
                                        leadInLatencies.stream().map(l -> (double) l).toList(), 99)
                                / 1e6;
        Way w =
                new Way(
                        name,
                        saturation,
                        pushRate,
                        livePushRate,
                        checksPerEvent,
                        rate,
                        sorted,
                        unchanged[0],
                        foldedShare,
                        timeline,
                        background,
                        leadInP99);
        log.printf(
                "bench changes: %s change-to-insight p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms (%,d"
                        + " changes; the %d s lead-in before them, not counted: p99 %.1f ms)%n",
                name,
                w.percentileMs(0.5),
                w.percentileMs(0.99),
                w.percentileMs(0.999),
                sorted.length,
                s.latencyLeadIn().toSeconds(),
                leadInP99);
        log.printf(
                "bench changes: %s slowest seconds of the window (p99 of the pushes planned in"
                        + " each): %s%n",
                name, timeline.describeSlowest(3));
        log.printf(
                "bench changes: %s database background work in the window: %s%n",
                name, String.join(", ", background));
        if (offered <= 0) {
            throw new BenchFailedException("changes: no push was made in the latency window");
        }
        return w;
    }

    /**
     * Latencies of one zone's pushes ({@code pushed}: version to {planned push time, time the API
     * answered}), each as {planned time, latency, push call's share}: each from its planned time to
     * the first result stored for it or a newer version of the zone (a version folded into a newer
     * one is done when that one is stored). Waits for the newest version's result, which is never
     * folded.
     */
    private List<long[]> latencies(ChangeRig rig, Target zone, NavigableMap<Long, long[]> pushed)
            throws InterruptedException {
        long deadline = System.nanoTime() + s.drainTimeout().toNanos();
        while (rig.storedAt(scanId(zone, pushed.lastKey())) == null) {
            check(rig);
            if (System.nanoTime() > deadline) {
                throw new BenchFailedException(
                        "changes: a pushed change was not stored within "
                                + s.drainTimeout().toSeconds()
                                + " s");
            }
            Thread.sleep(5);
        }
        List<long[]> out = new ArrayList<>();
        long firstStoredAfter = Long.MAX_VALUE;
        for (Map.Entry<Long, long[]> v : pushed.descendingMap().entrySet()) {
            long at = v.getValue()[0];
            long answered = v.getValue()[1];
            Long stored = rig.storedAt(scanId(zone, v.getKey()));
            if (stored != null) {
                firstStoredAfter = Math.min(firstStoredAfter, stored);
            }
            out.add(new long[] {at, firstStoredAfter - at, answered - at});
        }
        return out;
    }

    private static UUID scanId(Target zone, long version) {
        return ChangeHandler.scanId(new ConfigChange(zone, version, List.of(), Instant.EPOCH));
    }
}
