package dev.vigil.bench;

import dev.vigil.bench.internal.LaneRun;
import dev.vigil.bench.internal.LanesRig;
import dev.vigil.config.Env;
import dev.vigil.inventory.Target;
import dev.vigil.scheduling.LaneClassifier;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.worker.LatencyHistogram;
import dev.vigil.worker.Worker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Scenario {@code lanes} (DESIGN.md: fast-lane p99 with 1 % slow targets ≤ 1.5× the p99 with none):
 * scan requests at a steady rate over one fleet whose slow targets (1 %) take 2–3 s to fetch from
 * the simulated config service, in three runs on the same infrastructure, each on its own topic:
 * (a) lanes on, the classifier sending the slow targets to the slow group; (b) lanes on, no target
 * slow; (c) one consumer group for everything, 1 % slow. Each measures every scan's latency from
 * publication to its result acknowledged by the results API (stored), for fast and for slow targets
 * apart.
 */
public final class LanesScenario {

    /**
     * How much to measure. The rates are well below what the pipeline sustains on two cores (about
     * 300 scans/s, see the {@code pipeline} scenario): this measures latency, not queueing.
     */
    public record Settings(
            int accounts,
            int zones,
            double slowFraction,
            Duration slowMin,
            Duration slowMax,
            double rate,
            Duration warmUp,
            Duration window) {

        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(
                            10,
                            1_000,
                            0.01,
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(3),
                            50,
                            Duration.ofSeconds(3),
                            Duration.ofSeconds(6))
                    : new Settings(
                            50,
                            5_000,
                            0.01,
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(3),
                            120,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(60));
        }
    }

    /** One run's fast- and slow-target latencies. */
    public record Run(
            String label,
            LatencyHistogram.Snapshot fast,
            LatencyHistogram.Snapshot slow,
            long published,
            long movedToSlow) {
        public Duration fastP50() {
            return fast.percentile(0.50);
        }

        public Duration fastP99() {
            return fast.percentile(0.99);
        }
    }

    /**
     * The three runs.
     *
     * @param lanes (a) lanes on, 1 % slow
     * @param noSlow (b) lanes on, none slow
     * @param oneGroup (c) one group for everything, 1 % slow
     */
    public record Figures(Settings settings, Run lanes, Run noSlow, Run oneGroup) {
        /** p99(a) / p99(b); DESIGN.md target ≤ 1.5. */
        public double ratio() {
            return (double) lanes.fastP99().toNanos() / Math.max(1, noSlow.fastP99().toNanos());
        }
    }

    /** The figures and the report section. */
    public record Outcome(Figures figures, ScenarioReport report) {}

    private final Settings s;
    private final PrintStream log;

    public LanesScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the three runs.
     *
     * @throws BenchFailedException when a scan is dead-lettered, a consumer dies, or a measured
     *     request is never answered
     */
    public Outcome run() {
        Fleet fleet = FleetGenerator.generate(42, s.accounts(), s.zones());
        List<Target> order = new ArrayList<>(fleet.targets());
        order.sort(Comparator.comparing(Target::targetId));
        Collections.shuffle(order, new Random(7));
        int slowCount = Math.max(1, (int) Math.round(order.size() * s.slowFraction()));
        Set<String> slowIds = new HashSet<>();
        for (int i = 0; i < slowCount; i++) {
            slowIds.add(order.get(i * (order.size() / slowCount)).targetId());
        }
        SchedulerConfig sc = SchedulerConfig.from(Env.of(Map.of()));
        LaneClassifier classifier =
                new LaneClassifier(sc.slowAssetThreshold(), sc.slowDurationThreshold());
        log.printf(
                "bench lanes: %d targets, %d slow (%s–%s each), %.0f scans/s, %d s warm-up + %d s"
                        + " per run…%n",
                order.size(),
                slowIds.size(),
                s.slowMin(),
                s.slowMax(),
                s.rate(),
                s.warmUp().toSeconds(),
                s.window().toSeconds());
        try (LanesRig rig = LanesRig.start(fleet, slowIds, s.slowMin(), s.slowMax())) {
            // Unreported: JIT, connection pools and consumer groups warm up here, not in (a).
            runOne(
                    "warm-up (lanes, none slow)",
                    new LaneRun.Plan("lanes-warm-up", true, false),
                    rig,
                    order,
                    slowIds,
                    classifier);
            Run a =
                    runOne(
                            "(a) lanes, 1 % slow",
                            new LaneRun.Plan("lanes-a", true, true),
                            rig,
                            order,
                            slowIds,
                            classifier);
            Run b =
                    runOne(
                            "(b) lanes, none slow",
                            new LaneRun.Plan("lanes-b", true, false),
                            rig,
                            order,
                            slowIds,
                            classifier);
            Run c =
                    runOne(
                            "(c) one group, 1 % slow",
                            new LaneRun.Plan("lanes-c", false, true),
                            rig,
                            order,
                            slowIds,
                            classifier);
            Figures f = new Figures(s, a, b, c);
            log.printf(
                    "bench lanes: fast-lane p99 (a) %d ms / (b) %d ms = %.2f× (target ≤ 1.5×);"
                            + " one group (c) p99 %d ms%n",
                    a.fastP99().toMillis(),
                    b.fastP99().toMillis(),
                    f.ratio(),
                    c.fastP99().toMillis());
            return new Outcome(f, LanesReport.of(f));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("lanes: interrupted", e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("lanes: the system under test failed: " + e, e);
        }
    }

    private Run runOne(
            String label,
            LaneRun.Plan plan,
            LanesRig rig,
            List<Target> order,
            Set<String> slowIds,
            LaneClassifier classifier)
            throws InterruptedException {
        log.printf("bench lanes: run %s…%n", label);
        LaneRun.Outcome o =
                new LaneRun(rig, order, slowIds, classifier)
                        .run(
                                plan,
                                s.rate(),
                                s.warmUp(),
                                s.window(),
                                s.slowMax().multipliedBy(4).plusSeconds(30),
                                LanesScenario::check);
        Run r = new Run(label, o.fast(), o.slow(), o.published(), o.movedToSlow());
        log.printf(
                "bench lanes: %s: fast targets p50 %d ms, p99 %d ms (%d scans); slow targets p50"
                        + " %d ms (%d scans)%n",
                label,
                r.fastP50().toMillis(),
                r.fastP99().toMillis(),
                r.fast().count(),
                r.slow().percentile(0.5).toMillis(),
                r.slow().count());
        return r;
    }

    private static void check(List<Worker> workers) {
        for (Worker w : workers) {
            if (w.deadLettered() > 0) {
                throw new BenchFailedException(
                        "lanes: "
                                + w.deadLettered()
                                + " scan(s) of the "
                                + w.lane().wire()
                                + " lane went to the dead-letter topic");
            }
            if (!w.healthy()) {
                throw new BenchFailedException(
                        "lanes: a consumer of the " + w.lane().wire() + " lane stopped");
            }
        }
    }
}
