package dev.vigil.bench;

import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.SenderConfig;
import dev.vigil.app.LocalPipeline;
import dev.vigil.bench.internal.AlertRig;
import dev.vigil.bench.internal.AlertStages;
import dev.vigil.bench.internal.WebhookReceiver;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.WorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Scenario {@code alerts} (issue 19, point 5): how soon after a config push opens a critical
 * insight its owner holds a signed webhook. Each account of a small fleet has a webhook destination
 * at a local receiver on 127.0.0.1 (allow-listed as an operator would) that verifies every
 * signature, and one rule: opened critical {@value AlertRig#CHECK} insights, sent immediately. Each
 * push is a fresh zone's configuration with SSL off, so each opens exactly one insight the rule
 * matches. Pushes are paced open-loop at a steady rate (each at its planned time, whether or not
 * earlier ones finished) and the latency runs from the planned push to the verified webhook's
 * arrival; then fresh zones are pushed as fast as the API takes them, for the sustained
 * deliveries/s. The baseline is a user without alerts who polls the API every 60 s (see {@link
 * AlertsReport}).
 */
public final class AlertsScenario {

    /**
     * How much to measure.
     *
     * @param rate opened insights per second in the steady phase
     * @param saturationZones zones pushed as fast as possible after the steady phase
     * @param deliveryTimeout how long after a phase's last push an undelivered insight counts lost
     * @param pollPeriod the baseline user's polling period
     */
    public record Settings(
            int accounts,
            int warmUpZones,
            double rate,
            Duration window,
            int saturationZones,
            int pushThreads,
            Duration deliveryTimeout,
            Duration pollPeriod) {
        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(
                            4,
                            40,
                            20,
                            Duration.ofSeconds(10),
                            400,
                            16,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(60))
                    : new Settings(
                            10,
                            1_500,
                            100,
                            Duration.ofSeconds(60),
                            2_000,
                            48,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(60));
        }

        int steadyZones() {
            return (int) Math.round(rate * window.toMillis() / 1000.0);
        }

        int zones() {
            return warmUpZones + steadyZones() + saturationZones;
        }
    }

    /**
     * One measured phase.
     *
     * @param offered pushes per second made (steady: the paced rate; saturation: as the API took
     *     them)
     * @param latencyNanos push → verified webhook, one per delivered insight, sorted
     * @param lost pushed insights not delivered within the delivery timeout
     * @param seconds from the first to the last verified webhook of the phase
     * @param received what the receiver counted during the phase
     * @param stages where the time went, from the alert tables
     */
    // latencyNanos holds one sample per insight, sorted for percentiles; a Phase is never compared
    @SuppressWarnings("ArrayRecordComponent")
    record Phase(
            int pushed,
            double offered,
            long[] latencyNanos,
            int lost,
            double seconds,
            WebhookReceiver.Counts received,
            List<AlertStages.Stage> stages) {

        double percentileMs(double q) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencyNanos.length - 1, Math.ceil(q * latencyNanos.length) - 1);
            return latencyNanos[Math.max(0, i)] / 1e6;
        }

        double eventsPerSecond() {
            return seconds <= 0 ? 0 : (received.events() - 1) / seconds;
        }

        double messagesPerSecond() {
            return seconds <= 0 ? 0 : (received.messages() - 1) / seconds;
        }
    }

    /**
     * The baseline's one real poll per account, after the load.
     *
     * @param pollNanos the median over accounts of one poll (every page)
     * @param listed open critical insights the polls listed, over all accounts
     */
    record Polls(long pollNanos, long listed, int accounts, Duration period) {}

    private final Settings s;
    private final PrintStream log;
    // one instant on both clocks: pushes are timed by nanoTime, the alert tables by wall clock
    private final long baseNanos = System.nanoTime();
    private final Instant baseWall = Instant.now();

    public AlertsScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when the API refuses a push or an alerting call, or nothing is
     *     delivered
     */
    public ScenarioReport run() {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put(SenderConfig.ALLOWED_HOSTS.name(), "127.0.0.1");
        // the dispatcher's one knob that bounds deliveries/s, passed through to try other values
        String concurrency = System.getenv(DispatcherConfig.CONCURRENCY.name());
        if (concurrency != null) {
            settings.put(DispatcherConfig.CONCURRENCY.name(), concurrency);
        }
        Env alerts = Env.of(settings);
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
                                SchedulerConfig.from(env))
                        .withAlerts(alerts);
        log.printf("bench alerts: starting (%d accounts, %d zones)…%n", s.accounts(), s.zones());
        try (LocalPipeline p = LocalPipeline.start(o);
                WebhookReceiver receiver = WebhookReceiver.start();
                AlertRig rig =
                        new AlertRig(
                                p.apiUrl(), p.accountToken(), p.fleet().documentsByTargetId())) {
            // Only pushes run: a scheduled scan would open the same insights without a push.
            p.scheduler().close();
            List<Target> zones =
                    new ArrayList<>(
                            p.fleet().targets().stream()
                                    .filter(t -> t.kind() == TargetKind.ZONE)
                                    .toList());
            Collections.shuffle(zones, new Random(42));
            for (String account : zones.stream().map(Target::accountId).distinct().toList()) {
                receiver.expect(account, rig.subscribe(account, receiver.url(account)));
            }
            int w = s.warmUpZones(), n = s.steadyZones();
            log.printf("bench alerts: warming up (%d pushes at %.0f/s)…%n", w, s.rate());
            paced(p.database(), rig, receiver, zones.subList(0, w));
            log.printf(
                    "bench alerts: steady: %d pushes at %.0f/s for %d s…%n",
                    n, s.rate(), s.window().toSeconds());
            Phase steady = paced(p.database(), rig, receiver, zones.subList(w, w + n));
            log(steady, "steady");
            log.printf(
                    "bench alerts: saturation: %d pushes from %d threads…%n",
                    s.saturationZones(), s.pushThreads());
            Phase saturation =
                    saturate(p.database(), rig, receiver, zones.subList(w + n, zones.size()));
            log(saturation, "saturation");
            Polls polls = poll(rig, zones);
            if (steady.received().events() == 0) {
                throw new BenchFailedException("alerts: no webhook was delivered");
            }
            return AlertsReport.of(
                    s, alerts.get(DispatcherConfig.CONCURRENCY), steady, saturation, polls);
        } catch (AlertRig.CallFailedException e) {
            throw new BenchFailedException("alerts: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("alerts: interrupted", e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("alerts: the system under test failed: " + e, e);
        }
    }

    private void log(Phase ph, String name) {
        log.printf(
                "bench alerts: %s: push → signed webhook p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms;"
                        + " %,.1f deliveries/s; %d lost, %d repeated ids, %d duplicate events,"
                        + " %d verification failures%n",
                name,
                ph.percentileMs(0.5),
                ph.percentileMs(0.99),
                ph.percentileMs(0.999),
                ph.eventsPerSecond(),
                ph.lost(),
                ph.received().repeatedMessages(),
                ph.received().duplicateEvents(),
                ph.received().verificationFailures());
    }

    /** Pushes {@code zones} open-loop at the steady rate, then collects their webhooks. */
    private Phase paced(DataSource db, AlertRig rig, WebhookReceiver receiver, List<Target> zones)
            throws InterruptedException {
        WebhookReceiver.Counts before = receiver.counts();
        receiver.resetSpan();
        Map<Target, Long> planned = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> inFlight = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < zones.size() && errors.isEmpty(); i++) {
            long at = t0 + (long) (i * 1e9 / s.rate());
            long wait = at - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Target zone = zones.get(i);
            inFlight.add(Thread.ofVirtual().start(() -> push(rig, zone, at, planned, errors)));
        }
        for (Thread t : inFlight) {
            t.join();
        }
        double offered = zones.size() / ((System.nanoTime() - t0) / 1e9);
        return collect(db, receiver, planned, errors, before, offered);
    }

    /** Pushes {@code zones} from parallel threads as fast as the API takes them. */
    private Phase saturate(
            DataSource db, AlertRig rig, WebhookReceiver receiver, List<Target> zones)
            throws InterruptedException {
        WebhookReceiver.Counts before = receiver.counts();
        receiver.resetSpan();
        Map<Target, Long> pushedAt = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < s.pushThreads(); t++) {
            threads.add(
                    Thread.ofPlatform()
                            .name("bench-alert-push-" + t)
                            .start(
                                    () -> {
                                        int i;
                                        while (errors.isEmpty()
                                                && (i = next.getAndIncrement()) < zones.size()) {
                                            push(
                                                    rig,
                                                    zones.get(i),
                                                    System.nanoTime(),
                                                    pushedAt,
                                                    errors);
                                        }
                                    }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double offered = zones.size() / ((System.nanoTime() - t0) / 1e9);
        return collect(db, receiver, pushedAt, errors, before, offered);
    }

    private static void push(
            AlertRig rig, Target zone, long at, Map<Target, Long> pushed, List<Throwable> errors) {
        try {
            rig.pushSslOff(zone);
            pushed.put(zone, at);
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    /** Waits for every pushed insight's webhook up to the delivery timeout; the rest are lost. */
    private Phase collect(
            DataSource db,
            WebhookReceiver receiver,
            Map<Target, Long> pushed,
            List<Throwable> errors,
            WebhookReceiver.Counts before,
            double offered)
            throws InterruptedException {
        if (!errors.isEmpty()) {
            Throwable e = errors.getFirst();
            throw e instanceof AlertRig.CallFailedException c
                    ? c
                    : new BenchFailedException("alerts: a push failed: " + e, e);
        }
        long deadline = System.nanoTime() + s.deliveryTimeout().toNanos();
        List<Long> latencies = new ArrayList<>();
        int lost = 0;
        for (Map.Entry<Target, Long> e : pushed.entrySet()) {
            Long at;
            while ((at = receiver.receivedAt(e.getKey().targetId(), AlertRig.CHECK)) == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (at == null) {
                lost++;
            } else {
                latencies.add(at - e.getValue());
            }
        }
        // late repeats (a retry after a lost answer) would arrive within a poll or two
        Thread.sleep(500);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Instant> wall = new java.util.HashMap<>();
        pushed.forEach((zone, at) -> wall.put(zone.targetId(), baseWall.plusNanos(at - baseNanos)));
        return new Phase(
                pushed.size(),
                offered,
                sorted,
                lost,
                receiver.span() / 1e9,
                receiver.counts().since(before),
                AlertStages.of(db, AlertRig.CHECK, wall));
    }

    /** One real poll per account, timed: the baseline's response time, with the load in place. */
    private Polls poll(AlertRig rig, List<Target> zones) {
        List<Double> nanos = new ArrayList<>();
        long listed = 0;
        List<String> accounts = zones.stream().map(Target::accountId).distinct().sorted().toList();
        for (String a : accounts) {
            AlertRig.Poll p = rig.pollOpenCritical(a);
            nanos.add((double) p.nanos());
            listed += p.insights();
        }
        return new Polls((long) Samples.median(nanos), listed, accounts.size(), s.pollPeriod());
    }
}
