package dev.vigil.bench;

import static dev.vigil.bench.Samples.median;

import dev.vigil.app.LocalPipeline;
import dev.vigil.bench.internal.ChangeKind;
import dev.vigil.bench.internal.ChangePusher;
import dev.vigil.bench.internal.ChangeRig;
import dev.vigil.bench.internal.ProcessStats;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.WorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Scenario {@code changes} (issue 9, point 2): config pushes through the API ({@code POST
 * /v1/zones/{id}/config}) become config-change events, which the change workers turn into stored
 * insights. First the saturation throughput: a backlog of events is pushed while the change workers
 * are stopped, then they are started and the time from the first to the last stored result is
 * measured. Then the change-to-insight latency at half that rate: pushes paced open-loop (each at
 * its planned time, whether or not earlier ones finished), from the planned push time to the result
 * stored. The baseline is the same path with every section named as changed: a full rescan per
 * change, the way without section-incremental evaluation.
 */
public final class ChangesScenario {

    /**
     * How much to measure.
     *
     * @param perZone pushes per zone in one saturation round (at most 31: the API keeps 32
     *     versions)
     * @param reps saturation rounds per way; the median is reported. Five in a full run: a round
     *     lasts ~3 s and its figure moved by a third between the rounds of one run (7,598 to 10,957
     *     events/s), so the median of three still moved by a fifth between runs of one build
     * @param kindReps saturation rounds per way for each of {@link ChangeKinds#KINDS}
     * @param latencyLeadIn pushes paced at the latency rate before the measured window, not
     *     counted: the first seconds after the change workers start follow the previous phase (its
     *     burst's dead rows, fresh consumers and connections), not the steady state the target is
     *     about; their p99 is reported on its own
     */
    public record Settings(
            int accounts,
            int zones,
            int perZone,
            int reps,
            int kindReps,
            int pushThreads,
            Duration latencyLeadIn,
            Duration latencyWindow,
            Duration drainTimeout) {
        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(
                            10,
                            100,
                            5,
                            1,
                            1,
                            8,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(3),
                            Duration.ofSeconds(60))
                    : new Settings(
                            100,
                            2_000,
                            12,
                            5,
                            2,
                            16,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(300));
        }
    }

    /** One way's measurement. */
    // latencyNanos holds one sample per push (tens of thousands), sorted in place for percentiles;
    // a Way is never compared or hashed, so the array's identity equality does not matter
    @SuppressWarnings("ArrayRecordComponent")
    record Way(
            String name,
            List<Double> saturation,
            double pushRate,
            double livePushRate,
            double checksPerEvent,
            double offered,
            long[] latencyNanos,
            long unchanged,
            double foldedShare,
            LatencyTimeline timeline,
            List<String> background,
            double leadInP99Ms) {
        double rate() {
            return median(saturation);
        }

        double percentileMs(double q) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencyNanos.length - 1, Math.ceil(q * latencyNanos.length) - 1);
            return latencyNanos[Math.max(0, i)] / 1e6;
        }
    }

    private final Settings s;
    private final PrintStream log;
    private @Nullable ChangesBound bound;

    public ChangesScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a push is refused, a change is dead-lettered, a consumer
     *     stops, or the backlog is not worked off within the drain timeout
     */
    public ScenarioReport run() {
        Env env = Env.of(Map.of());
        LocalPipeline.Options o =
                new LocalPipeline.Options(
                        42,
                        s.accounts(),
                        s.zones(),
                        PlanIntervals.uniform(Duration.ofDays(7)),
                        0,
                        ConfigService.LatencyModel.none(),
                        null,
                        WorkerConfig.from(env),
                        SchedulerConfig.from(env));
        log.printf("bench changes: starting (%d zones)…%n", s.zones());
        try (LocalPipeline p = LocalPipeline.start(o)) {
            // Only config changes run: no scheduled scans, and the benchmark's own change workers.
            p.scheduler().close();
            p.changeWorker().close();
            List<Target> zones =
                    p.fleet().targets().stream().filter(t -> t.kind() == TargetKind.ZONE).toList();
            try (ChangeRig rig = new ChangeRig(p);
                    ChangePusher pusher =
                            new ChangePusher(
                                    p.apiUrl(),
                                    p.accountToken(),
                                    zones,
                                    p.fleet().documentsByTargetId(),
                                    ChangeKind.SETTINGS)) {
                ChangesBound cpu = new ChangesBound(rig.database());
                bound = cpu;
                warmUp(rig, pusher);
                cpu.forget();
                List<Double> vigil = new ArrayList<>();
                List<Double> naive = new ArrayList<>();
                List<List<Double>> pushRates = List.of(new ArrayList<>(), new ArrayList<>());
                double[] checks = {0, 0};
                double[] folded = {0, 0};
                for (int r = 0; r < s.reps(); r++) {
                    for (boolean full : new boolean[] {false, true}) {
                        Round round = saturate(rig, pusher, full, false);
                        (full ? naive : vigil).add(round.rate());
                        int w = full ? 1 : 0;
                        pushRates.get(w).add(round.pushRate());
                        folded[w] = Math.max(folded[w], round.folded());
                        checks[w] = round.checksPerEvaluation();
                    }
                }
                double batchRate = intake(rig, pusher);
                double[] live = {livePushRate(rig, pusher, false), livePushRate(rig, pusher, true)};
                ChangesLatency latency = new ChangesLatency(s, log);
                Way v =
                        latency.run(
                                rig,
                                pusher,
                                false,
                                "Vigil",
                                vigil,
                                median(pushRates.get(0)),
                                live[0],
                                checks[0],
                                folded[0]);
                Way n =
                        latency.run(
                                rig,
                                pusher,
                                true,
                                "naive",
                                naive,
                                median(pushRates.get(1)),
                                live[1],
                                checks[1],
                                folded[1]);
                if (pusher.retried() > 0) {
                    log.printf(
                            "bench changes: %,d calls were refused for now (503/429) and sent"
                                    + " again after their Retry-After%n",
                            pusher.retried());
                }
                List<ChangeKinds.Measured> kinds =
                        new ChangeKinds(this, s, log)
                                .run(rig, p.apiUrl(), p.accountToken(), zones, p.fleet());
                return ChangesReport.of(
                        s,
                        v,
                        n,
                        new ChangesReport.Intake(batchRounds(batchRate, kinds)),
                        kinds,
                        rig.uncommittedFetches(),
                        cpu);
            }
        } catch (ChangePusher.PushFailedException e) {
            throw new BenchFailedException("changes: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("changes: interrupted", e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("changes: the system under test failed: " + e, e);
        }
    }

    /**
     * Not measured: the first version of every zone (a full scan each) and one round of changes,
     * then one saturation round each way. Without the last, the first measured round was the
     * slowest of its way in most runs (its pushes/s and events/s a third to a half below the
     * others: the JIT and the database's first bursts), so a median of three was nearly the slower
     * of the other two.
     */
    private void warmUp(ChangeRig rig, ChangePusher pusher) throws InterruptedException {
        log.println("bench changes: warming up (first push of every zone, then one change each)…");
        rig.start();
        long before = rig.done();
        drain(rig, before + pushEvents(pusher, 2, false, false));
        rig.stop();
        log.println("bench changes: warm-up saturation rounds, one each way (not counted):");
        saturate(rig, pusher, false, false);
        saturate(rig, pusher, true, false);
    }

    /**
     * One saturation round.
     *
     * @param rate events/s done
     * @param pushRate pushes/s the API accepted while the backlog was queued
     * @param folded the share of the events folded into a newer version of their zone
     * @param checksPerEvaluation checks the change workers ran per evaluated (unfolded) event
     */
    record Round(double rate, double pushRate, double folded, double checksPerEvaluation) {}

    /**
     * One saturation round: {@link Settings#perZone} versions of every zone queued while the change
     * workers are stopped (one push per call, or through the batch route), then worked off.
     */
    Round saturate(ChangeRig rig, ChangePusher pusher, boolean full, boolean batch)
            throws InterruptedException {
        long before = rig.done();
        long folded0 = rig.folded();
        long checks0 = rig.checksRun();
        ChangesBound cpu = Objects.requireNonNull(bound, "run() sets the bound");
        ProcessStats start = cpu.now();
        long t0 = System.nanoTime();
        long events = pushEvents(pusher, s.perZone(), full, batch);
        double pushRate = events / ((System.nanoTime() - t0) / 1e9);
        ProcessStats queued = cpu.now();
        rig.resetSpan();
        rig.start();
        drain(rig, before + events);
        cpu.round(start, queued, cpu.now(), events, full, batch);
        rig.stop();
        double rate = events / (rig.span() / 1e9);
        long folded = rig.folded() - folded0;
        log.printf(
                "bench changes: %s, %s changes: %,d events queued (API took %,.0f pushes/s), done"
                        + " at %,.0f events/s (%,d evaluated, %,d folded into a newer version)%n",
                wayName(full),
                pusher.kind().section(),
                events,
                pushRate,
                rate,
                events - folded,
                folded);
        double checks = (rig.checksRun() - checks0) / (double) Math.max(1, events - folded);
        return new Round(rate, pushRate, folded / (double) events, checks);
    }

    /**
     * Pushes/s the batch route accepts: a saturation round queued through it (each thread sending
     * its zones as one batch call per version, with the change workers stopped), then worked off.
     */
    private double intake(ChangeRig rig, ChangePusher pusher) throws InterruptedException {
        double rate = saturate(rig, pusher, false, true).pushRate();
        log.printf("bench changes: batch route: pushes accepted at %,.0f pushes/s%n", rate);
        return rate;
    }

    /**
     * Pushes/s the one-push-per-call route accepts while the change workers run and store each
     * change's result beside it (one version of every zone from the push threads, then drained):
     * what the whole path from push to stored insight takes on this machine, where the route alone
     * with the workers stopped does not pay for the evaluations and results calls sharing its
     * cores.
     */
    private double livePushRate(ChangeRig rig, ChangePusher pusher, boolean full)
            throws InterruptedException {
        rig.start();
        rig.awaitJoined(s.drainTimeout());
        long before = rig.done();
        long t0 = System.nanoTime();
        long events = pushEvents(pusher, 1, full, false);
        double rate = events / ((System.nanoTime() - t0) / 1e9);
        drain(rig, before + events);
        rig.stop();
        log.printf(
                "bench changes: %s: %,d pushes accepted at %,.0f pushes/s with the change workers"
                        + " running%n",
                wayName(full), events, rate);
        return rate;
    }

    /** The way's name in the log. */
    private static String wayName(boolean full) {
        return full ? "naive (full rescan per change)" : "Vigil";
    }

    /**
     * The batch route's pushes/s of every round queued through it the Vigil way: the intake round,
     * then each kind's.
     */
    private static List<Double> batchRounds(double intake, List<ChangeKinds.Measured> kinds) {
        List<Double> rounds = new ArrayList<>();
        rounds.add(intake);
        kinds.forEach(k -> rounds.addAll(k.vigilPushes()));
        return rounds;
    }

    /** The batch route's push threads: a quarter of the single route's. */
    static int batchThreads(Settings s) {
        return Math.max(1, s.pushThreads() / 4);
    }

    /**
     * Pushes {@code perZone} versions of every zone from the push threads, one call per push or
     * (with {@code batch}) one call per thread and version, through a quarter of the threads.
     * Answers the change events it announced ({@link ChangePusher#pushRound}).
     */
    long pushEvents(ChangePusher pusher, int perZone, boolean full, boolean batch)
            throws InterruptedException {
        return pusher.pushRound(perZone, full, batch, batch ? batchThreads(s) : s.pushThreads());
    }

    /** Waits until {@code target} events are done; fails on a dead letter or the timeout. */
    void drain(ChangeRig rig, long target) throws InterruptedException {
        long deadline = System.nanoTime() + s.drainTimeout().toNanos();
        while (rig.done() < target) {
            check(rig);
            if (System.nanoTime() > deadline) {
                throw new BenchFailedException(
                        "changes: only "
                                + rig.done()
                                + " of "
                                + target
                                + " change events done after "
                                + s.drainTimeout().toSeconds()
                                + " s");
            }
            Thread.sleep(5);
        }
        check(rig);
    }

    /** Fails the run on a dead-lettered change or a stopped consumer. */
    static void check(ChangeRig rig) {
        if (rig.deadLettered() > 0) {
            throw new BenchFailedException(
                    "changes: "
                            + rig.deadLettered()
                            + " change event(s) went to the dead-letter topic");
        }
        if (!rig.healthy()) {
            throw new BenchFailedException("changes: a change-worker consumer stopped");
        }
    }
}
