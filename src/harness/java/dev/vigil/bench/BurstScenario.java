package dev.vigil.bench;

import dev.vigil.app.LocalPipeline;
import dev.vigil.config.Env;
import dev.vigil.events.Lane;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.Backpressure;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Scenario {@code burst} (issue 20, point 7): on {@link LocalPipeline} with the scheduler's lag
 * bound on, targets become due at a sustained rate, then at ten times that rate (more than the
 * workers take), then at the sustained rate again. Each step records the lanes' lag in work time as
 * the scheduler sees it, the rates fed, published and stored, and whether the scheduler is braking;
 * the report gives the largest lag against the bound, the time from the burst's end until the
 * scheduler is back at its planned rate with no due target waiting, and the audit: every target
 * made due published, every published scan stored exactly once.
 *
 * <p>The bench makes targets due itself ({@code next_due_at = now()}, oldest first, from a fleet
 * parked ten days ahead), so the demand is the scenario's, not the fleet's jitter; the scheduler is
 * given a fixed rate far above the burst so that only the brake holds it back.
 */
public final class BurstScenario {

    /**
     * How much to measure.
     *
     * @param accounts the fleet's accounts
     * @param zones the fleet's zones: with the accounts, at least every target the phases make due
     * @param sustained targets made due per second before and after the burst
     * @param factor the burst's multiple of {@code sustained}
     * @param before the sustained phase before the burst
     * @param burst the burst
     * @param after the longest the run waits after the burst for the scheduler to recover
     * @param maxLag the scheduler's bound (VIGIL_SCHEDULER_MAX_LAG) for the run
     * @param step how often the pipeline is sampled
     */
    public record Settings(
            int accounts,
            int zones,
            double sustained,
            int factor,
            Duration before,
            Duration burst,
            Duration after,
            Duration maxLag,
            Duration step) {

        public Settings {
            if (accounts + zones < demand(sustained, factor, before, burst, after)) {
                throw new IllegalArgumentException(
                        "a fleet of "
                                + (accounts + zones)
                                + " targets is smaller than the "
                                + demand(sustained, factor, before, burst, after)
                                + " the phases make due");
            }
        }

        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(
                            50,
                            8_000,
                            50,
                            10,
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(8),
                            Duration.ofSeconds(40),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(1))
                    : new Settings(
                            500,
                            50_000,
                            50,
                            10,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(60),
                            Duration.ofMinutes(5),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(2));
        }

        /** Targets the phases make due at most. */
        private static long demand(
                double sustained, int factor, Duration before, Duration burst, Duration after) {
            return (long)
                    (sustained
                            * (before.toSeconds()
                                    + factor * burst.toSeconds()
                                    + after.toSeconds()));
        }
    }

    /**
     * One sample of the pipeline.
     *
     * @param seconds since the sustained phase began
     * @param phase {@code before}, {@code burst} or {@code after}
     * @param fed targets made due so far
     * @param published requests the scheduler published so far
     * @param stored scans stored so far (rows of {@code scans})
     * @param dueWaiting targets due and not yet published
     * @param state the scheduler's brake
     */
    record Sample(
            double seconds,
            String phase,
            long fed,
            long published,
            long stored,
            long dueWaiting,
            Backpressure.State state) {}

    /** What the scenario measured, for the report. */
    record Result(
            Settings settings,
            List<Sample> samples,
            double burstEndSeconds,
            double recoveredSeconds,
            long fed,
            long published,
            long stored,
            long distinctStored,
            long stillDue) {}

    private final Settings s;
    private final PrintStream log;

    public BurstScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a scan is dead-lettered, a consumer dies, or a target made
     *     due is not stored exactly once
     */
    public ScenarioReport run() {
        Env env = Env.of(Map.of());
        SchedulerConfig d = SchedulerConfig.from(env);
        // a ceiling above the burst: only the brake holds the scheduler back
        SchedulerConfig sched =
                new SchedulerConfig(
                                d.recomputePeriod(),
                                d.bufferFactor(),
                                d.batchSize(),
                                0,
                                s.sustained() * s.factor() * 1.5,
                                d.slowAssetThreshold(),
                                d.slowDurationThreshold())
                        .withMaxLag(s.maxLag());
        LocalPipeline.Options o =
                new LocalPipeline.Options(
                        20,
                        s.accounts(),
                        s.zones(),
                        PlanIntervals.uniform(Duration.ofHours(1)),
                        0,
                        ConfigService.LatencyModel.typical(),
                        null,
                        WorkerConfig.from(env),
                        sched);
        log.printf(
                "bench burst: starting (%d zones; %.0f due/s, then %d× for %d s; bound %s)…%n",
                s.zones(), s.sustained(), s.factor(), s.burst().toSeconds(), s.maxLag());
        try (LocalPipeline p = LocalPipeline.start(o)) {
            Jdbi jdbi = Jdbi.create(p.database());
            // park the fleet: from here on only this scenario makes targets due (a target the
            // scheduler published meanwhile, due by the fleet's jitter, stays out of the pool)
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "update targets set next_due_at = now() + interval '10 days'"
                                            + " where last_scheduled_at is null"));
            return BurstReport.of(drive(p, jdbi));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("burst: interrupted", e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("burst: the system under test failed: " + e, e);
        }
    }

    private Result drive(LocalPipeline p, Jdbi jdbi) throws InterruptedException {
        Scheduler scheduler = p.scheduler();
        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        double beforeEnd = s.before().toMillis() / 1000.0;
        double burstEnd = beforeEnd + s.burst().toMillis() / 1000.0;
        double deadline = burstEnd + s.after().toMillis() / 1000.0;
        double credit = 0;
        long fed = 0;
        long nextSample = 0;
        double recovered = Double.NaN;
        double last = 0;
        while (true) {
            double now = (System.nanoTime() - t0) / 1e9;
            String phase = now < beforeEnd ? "before" : now < burstEnd ? "burst" : "after";
            double rate = s.sustained() * (phase.equals("burst") ? s.factor() : 1);
            credit += rate * (now - last);
            last = now;
            int n = (int) credit;
            if (n > 0) {
                fed += makeDue(jdbi, n);
                credit -= n;
            }
            if (System.nanoTime() >= nextSample) {
                check(p);
                Sample x = sample(now, phase, fed, scheduler, jdbi);
                samples.add(x);
                nextSample = System.nanoTime() + s.step().toNanos();
                log.printf(
                        "bench burst: %5.1f s %-6s lag %s, publishing %.0f/s%s, %d due waiting%n",
                        now,
                        phase,
                        BurstReport.lagCell(x.state()),
                        x.state().rate(),
                        x.state().throttled() ? " (braking)" : "",
                        x.dueWaiting());
                if (phase.equals("after")
                        && Double.isNaN(recovered)
                        && !x.state().throttled()
                        && x.dueWaiting() <= s.sustained()) {
                    recovered = now;
                }
                // a few samples past the recovery show it holds
                if (now >= deadline
                        || (!Double.isNaN(recovered)
                                && now >= recovered + 3 * s.step().toSeconds())) {
                    break;
                }
            }
            Thread.sleep(50); // the feeder's period: makes due what the rate owes since the last
        }
        return audit(p, jdbi, samples, burstEnd, recovered, fed);
    }

    /**
     * Waits for every due target to be published and every published scan stored, as long as the
     * pipeline makes progress (a loaded machine drains slowly, which is no loss), then counts.
     */
    private Result audit(
            LocalPipeline p,
            Jdbi jdbi,
            List<Sample> samples,
            double burstEnd,
            double recovered,
            long fed)
            throws InterruptedException {
        log.printf("bench burst: feeding stopped; waiting for every due target to be stored…%n");
        Duration patience = Duration.ofMinutes(1);
        long lastProgress = System.nanoTime();
        long stillDue;
        long stored;
        long before = -1;
        while (true) {
            check(p);
            stillDue = count(jdbi, "select count(*) from targets where next_due_at <= now()");
            stored = count(jdbi, "select count(*) from scans");
            if (stillDue == 0 && stored >= p.scheduler().published()) {
                break;
            }
            if (stored != before) {
                before = stored;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > patience.toNanos()) {
                throw new BenchFailedException(
                        String.format(
                                "burst: the pipeline stopped draining: no scan stored for %d s"
                                        + " with %d targets still due and %d of %d published"
                                        + " scans stored",
                                patience.toSeconds(), stillDue, stored, p.scheduler().published()));
            }
            Thread.sleep(250);
        }
        long published = p.scheduler().published();
        long distinct = count(jdbi, "select count(distinct target_id) from scans");
        if (stored != published || distinct != stored) {
            throw new BenchFailedException(
                    String.format(
                            "burst: lost or repeated scans: %d targets made due, %d published,"
                                    + " %d scans stored for %d distinct targets",
                            fed, published, stored, distinct));
        }
        return new Result(
                s, samples, burstEnd, recovered, fed, published, stored, distinct, stillDue);
    }

    private static Sample sample(
            double now, String phase, long fed, Scheduler scheduler, Jdbi jdbi) {
        return new Sample(
                now,
                phase,
                fed,
                scheduler.published(),
                count(jdbi, "select count(*) from scans"),
                scheduler.dueBacklog(),
                scheduler.backpressure());
    }

    /** Makes the {@code n} parked targets with the smallest ids due now; returns how many. */
    private static int makeDue(Jdbi jdbi, int n) {
        return jdbi.withHandle(
                h ->
                        h.createUpdate(
                                        """
                                        update targets set next_due_at = now()
                                         where target_id in (
                                               select target_id from targets
                                                where next_due_at > now() + interval '1 day'
                                                  and last_scheduled_at is null
                                                order by target_id
                                                limit :n)
                                        """)
                                .bind("n", n)
                                .execute());
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void check(LocalPipeline p) {
        for (Worker w : p.workers()) {
            if (w.deadLettered() > 0) {
                throw new BenchFailedException(
                        "burst: "
                                + w.deadLettered()
                                + " scan(s) of the "
                                + w.lane().wire()
                                + " lane went to the dead-letter topic");
            }
            if (!w.healthy()) {
                throw new BenchFailedException(
                        "burst: a consumer of the " + w.lane().wire() + " lane stopped");
            }
        }
    }

    /** The lanes in the order the report lists them. */
    static final List<Lane> LANES = List.of(Lane.FAST, Lane.SLOW);
}
