package dev.vigil.bench;

import dev.vigil.app.LocalPipeline;
import dev.vigil.bench.internal.NaivePipeline;
import dev.vigil.bench.internal.ProcessStats;
import dev.vigil.bench.internal.RoleRig;
import dev.vigil.bench.internal.Window;
import dev.vigil.config.Env;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Scenario {@code pipeline} (issue 9, point 1): scheduled scans end to end on {@link LocalPipeline}
 * (simulated config service with its typical latency, full catalogue, results stored through the
 * API), the scheduler offering more than the workers take; then, in the same process on the same
 * fleet, the naive pipeline ({@link NaivePipeline}) on the requests Vigil's workers had not yet
 * taken.
 */
public final class PipelineScenario {

    /** How much to measure. */
    public record Settings(
            int accounts,
            int zones,
            Duration interval,
            double offeredRate,
            Duration warmUp,
            Duration window,
            Duration step,
            Duration naiveWarmUp,
            Duration naiveWindow,
            Duration rolesWarmUp,
            Duration rolesWindow,
            Path logs) {

        public static Settings of(boolean quick, @Nullable Duration window, Path outDir) {
            Path logs = outDir.resolve("pipeline-logs");
            if (quick) {
                return new Settings(
                        100,
                        2_000,
                        Duration.ofSeconds(2),
                        1_500,
                        Duration.ofSeconds(6),
                        window != null ? window : Duration.ofSeconds(9),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(6),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(6),
                        logs);
            }
            // Offered: above the 2,000 scans/s target, so the figure can show it met, without the
            // scheduler, producer and broker spending the shared cores on a surplus ten times the
            // throughput (profiled at ~10 % of samples with 3,000/s offered when Vigil took 300/s).
            // The report says when Vigil kept up, i.e. when this must go up: with 2,500 offered and
            // the warm-ups below it did (2026-12-07, 2 cores: 2,358-2,497 in every step), so 3,000.
            // Warm-ups: the rate climbs for the first two minutes of load in one JVM and for the
            // first minute with the roles apart, then holds (`--duration 180s` on 2 cores,
            // 2026-12-07: one JVM 1,059 to 2,275 scans/s in its 10 s steps until ~120 s, then 1,940
            // to 2,624; roles apart 1,065 to 1,653 until ~60 s, then 1,425 to 2,007; most likely
            // the JIT compiling on two saturated cores, not profiled). With 30 s and 20 s, every
            // window of nine runs still climbed and its median measured the ramp, not the
            // sustained rate the target names.
            return new Settings(
                    500,
                    10_000,
                    Duration.ofSeconds(2),
                    3_000,
                    Duration.ofSeconds(120),
                    window != null ? window : Duration.ofSeconds(60),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(60),
                    window != null ? window : Duration.ofSeconds(40),
                    logs);
        }
    }

    /**
     * Vigil again, with the API and one worker per lane in processes of their own: the scan rate,
     * and each role's CPU time and resident memory.
     *
     * @param start each role's usage when the window opened
     * @param end each role's usage when it closed (its peak resident memory covers the whole run)
     */
    record RolesRun(
            double seconds,
            long scans,
            List<Double> stepRates,
            Map<String, RoleRig.Usage> start,
            Map<String, RoleRig.Usage> end,
            double postgresCpuSeconds) {
        double medianRate() {
            return Samples.median(stepRates);
        }

        double cores(String role) {
            RoleRig.Usage a = java.util.Objects.requireNonNull(start.get(role), role);
            RoleRig.Usage b = java.util.Objects.requireNonNull(end.get(role), role);
            return (b.cpu().toNanos() - a.cpu().toNanos()) / 1e9 / seconds;
        }
    }

    /**
     * One pipeline's measurement.
     *
     * @param jitWarmUpSeconds the JIT compilers' time during the warm-up (the JVM's, whoever's code
     *     they compiled)
     * @param jitWindowSeconds the same over the measured window: small once the code the pipeline
     *     runs is compiled, i.e. once the window measures the sustained rate, not the ramp
     */
    record Run(
            Window.Delta total,
            List<Double> stepRates,
            double offered,
            long rssMax,
            double jitWarmUpSeconds,
            double jitWindowSeconds) {
        double medianRate() {
            return Samples.median(stepRates);
        }
    }

    private final Settings s;
    private final PrintStream log;

    public PipelineScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a scan is dead-lettered, a consumer dies, or a pipeline
     *     stores nothing
     */
    public ScenarioReport run() {
        Env env = Env.of(Map.of());
        SchedulerConfig d = SchedulerConfig.from(env);
        SchedulerConfig sched =
                new SchedulerConfig(
                        d.recomputePeriod(),
                        d.bufferFactor(),
                        d.batchSize(),
                        0,
                        s.offeredRate(),
                        d.slowAssetThreshold(),
                        d.slowDurationThreshold());
        LocalPipeline.Options o =
                new LocalPipeline.Options(
                        42,
                        s.accounts(),
                        s.zones(),
                        PlanIntervals.uniform(s.interval()),
                        0,
                        ConfigService.LatencyModel.typical(),
                        null,
                        WorkerConfig.from(env),
                        sched);
        log.printf(
                "bench pipeline: starting (%d accounts, %d zones, offered %.0f scans/s)…%n",
                s.accounts(), s.zones(), s.offeredRate());
        try (LocalPipeline p = LocalPipeline.start(o)) {
            List<ScanHandler> vigil = p.workers().stream().map(Worker::scans).toList();
            ProcessHandle pg = ProcessStats.postmaster(p.database());
            Run v =
                    measure(
                            "vigil",
                            () -> Window.of(vigil, pg),
                            s.warmUp(),
                            s.window(),
                            p,
                            () -> check(p));
            for (Worker w : p.workers()) {
                w.close();
            }
            RolesRun roles = roles(p, pg);
            Map<TopicPartition, Long> backlog = committed(p);
            try (NaivePipeline n =
                    new NaivePipeline(
                            p.kafkaBootstrap(),
                            backlog,
                            p.configService().baseUrl(),
                            p.database(),
                            p.topics().scanRequests())) {
                List<ScanHandler> naive = List.of(n.fast(), n.slow());
                Run nv =
                        measure(
                                "naive",
                                () -> Window.of(naive, pg),
                                s.naiveWarmUp(),
                                s.naiveWindow(),
                                p,
                                () -> {
                                    Throwable f = n.failure();
                                    if (f != null) {
                                        throw new BenchFailedException(
                                                "pipeline: the naive pipeline failed: " + f, f);
                                    }
                                });
                if (n.ignored() > 0) {
                    log.printf(
                            "bench pipeline: naive writer ignored %d stale results%n", n.ignored());
                }
                return PipelineReport.of(s, v, nv, roles, p.workers());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("pipeline: interrupted", e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("pipeline: the system under test failed: " + e, e);
        }
    }

    private Run measure(
            String name,
            Supplier<Window> snap,
            Duration warmUp,
            Duration window,
            LocalPipeline p,
            Runnable check)
            throws InterruptedException {
        log.printf("bench pipeline: %s warming up for %d s…%n", name, warmUp.toSeconds());
        double jit0 = jitSeconds();
        Thread.sleep(warmUp.toMillis());
        check.run();
        double jitStart = jitSeconds();
        double jitPrev = jitStart;
        Window start = snap.get();
        long published0 = p.scheduler().published();
        Window prev = start;
        List<Double> rates = new ArrayList<>();
        long rssMax = 0;
        long steps = Math.max(1, window.toMillis() / s.step().toMillis());
        for (int i = 0; i < steps; i++) {
            Thread.sleep(s.step().toMillis());
            check.run();
            Window now = snap.get();
            rates.add(now.since(prev).rate());
            rssMax = Math.max(rssMax, ProcessStats.now(null).jvmRssBytes());
            double jit = jitSeconds();
            log.printf(
                    "bench pipeline: %s %.0f scans/s (JIT compiling %.1f s)%n",
                    name, rates.getLast(), jit - jitPrev);
            jitPrev = jit;
            prev = now;
        }
        Window.Delta total = prev.since(start);
        if (total.scans() == 0) {
            throw new BenchFailedException("pipeline: " + name + " stored no scan in the window");
        }
        double offered = (p.scheduler().published() - published0) / total.seconds();
        return new Run(total, rates, offered, rssMax, jitStart - jit0, jitPrev - jitStart);
    }

    /**
     * The time the JVM's JIT compilers have spent so far, summed over their threads: wall time, so
     * on saturated cores it includes waiting for one.
     */
    private static double jitSeconds() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported()
                ? c.getTotalCompilationTime() / 1e3
                : Double.NaN;
    }

    private RolesRun roles(LocalPipeline p, @Nullable ProcessHandle pg)
            throws InterruptedException {
        log.printf(
                "bench pipeline: Vigil's API and workers in processes of their own (logs in %s)…%n",
                s.logs());
        try (RoleRig rig =
                new RoleRig(
                        p.database(),
                        p.kafkaBootstrap(),
                        p.topics().prefix(),
                        s.interval(),
                        p.configService().baseUrl().toString(),
                        s.logs())) {
            rig.start(Duration.ofMinutes(2), l -> log.println("bench pipeline: " + l));
            log.printf(
                    "bench pipeline: role processes warming up for %d s…%n",
                    s.rolesWarmUp().toSeconds());
            Thread.sleep(s.rolesWarmUp().toMillis());
            Map<String, RoleRig.Usage> start = rig.usage();
            double pg0 = ProcessStats.now(pg).childrenCpu().toNanos() / 1e9;
            long t0 = System.nanoTime();
            long scans0 = rig.scansStored();
            long prevScans = scans0;
            long prevT = t0;
            List<Double> rates = new ArrayList<>();
            long steps = Math.max(1, s.rolesWindow().toMillis() / s.step().toMillis());
            for (int i = 0; i < steps; i++) {
                Thread.sleep(s.step().toMillis());
                rig.usage(); // fails loudly when a role died
                long now = System.nanoTime();
                long scans = rig.scansStored();
                rates.add((scans - prevScans) / ((now - prevT) / 1e9));
                log.printf("bench pipeline: role processes %.0f scans/s%n", rates.getLast());
                prevScans = scans;
                prevT = now;
            }
            Map<String, RoleRig.Usage> end = rig.usage();
            double pgCpu = ProcessStats.now(pg).childrenCpu().toNanos() / 1e9 - pg0;
            if (prevScans == scans0) {
                throw new BenchFailedException(
                        "pipeline: the role processes stored no scan in the window; see "
                                + s.logs());
            }
            return new RolesRun((prevT - t0) / 1e9, prevScans - scans0, rates, start, end, pgCpu);
        } catch (IllegalStateException e) {
            throw new BenchFailedException("pipeline: role processes: " + e.getMessage(), e);
        }
    }

    private static void check(LocalPipeline p) {
        for (Worker w : p.workers()) {
            if (w.deadLettered() > 0) {
                throw new BenchFailedException(
                        "pipeline: "
                                + w.deadLettered()
                                + " scan(s) of the "
                                + w.lane().wire()
                                + " lane went to the dead-letter topic");
            }
            if (!w.healthy()) {
                throw new BenchFailedException(
                        "pipeline: a consumer of the " + w.lane().wire() + " lane stopped");
            }
        }
    }

    /** Where Vigil's fast-lane group stopped: the naive pipeline starts there. */
    private static Map<TopicPartition, Long> committed(LocalPipeline p) {
        try (Admin admin = KafkaClients.admin(p.kafkaBootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(Worker.groupId(Lane.FAST))
                            .partitionsToOffsetAndMetadata()
                            .get();
            Map<TopicPartition, Long> out = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                TopicPartition tp = new TopicPartition(p.topics().scanRequests(), i);
                OffsetAndMetadata m = offsets.get(tp);
                out.put(tp, m == null ? 0L : m.offset());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("pipeline: interrupted reading offsets", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchFailedException("pipeline: cannot read the workers' offsets: " + e, e);
        }
    }
}
