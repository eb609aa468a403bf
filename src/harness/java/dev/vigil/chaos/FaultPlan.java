package dev.vigil.chaos;

import dev.vigil.app.RoleCluster;
import dev.vigil.app.RoleProcess;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, at seeded random moments of the load phase: {@link
 * ChaosOptions#killsPerKind()} SIGKILLs each of a random worker, the API and the active scheduler,
 * one PostgreSQL restart, one PostgreSQL failover (SIGKILL of the primary, promotion of its
 * synchronous standby; later restarts act on the promoted server) and one Kafka restart, in a
 * shuffled order. Faults never overlap: each victim is back (or its restart has been waited for)
 * before the next fault, so every failure is observed on its own. Same seed, same order and
 * moments.
 */
final class FaultPlan {

    /** Progress lines. */
    @FunctionalInterface
    interface Say {
        void say(String format, Object... args);
    }

    /** Throws once the run is asked to stop (Ctrl-C, SIGTERM). */
    @FunctionalInterface
    interface StopCheck {
        void check() throws InterruptedException;
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ChaosOptions options;
    private final RoleCluster cluster;
    private final ChaosDatabase db;
    private final EmbeddedKafka kafka;
    private final Say say;
    private final Random random;
    private final StopCheck stopCheck;
    private final List<Fault> faults = new ArrayList<>();

    FaultPlan(
            ChaosOptions options,
            RoleCluster cluster,
            ChaosDatabase db,
            EmbeddedKafka kafka,
            Say say,
            StopCheck stopCheck) {
        this.stopCheck = stopCheck;
        this.options = options;
        this.cluster = cluster;
        this.db = db;
        this.kafka = kafka;
        this.say = say;
        this.random = new Random(options.seed());
    }

    /** Injects every fault during the load phase, then waits out the rest of it. */
    List<Fault> inject() throws InterruptedException {
        List<Fault.Kind> kinds = new ArrayList<>();
        for (int i = 0; i < options.killsPerKind(); i++) {
            kinds.add(Fault.Kind.KILL_WORKER);
            kinds.add(Fault.Kind.KILL_API);
            kinds.add(Fault.Kind.KILL_SCHEDULER);
        }
        kinds.add(Fault.Kind.RESTART_POSTGRES);
        kinds.add(Fault.Kind.FAILOVER_POSTGRES);
        kinds.add(Fault.Kind.RESTART_KAFKA);
        Collections.shuffle(kinds, random);
        long phase = options.loadPhase().toMillis();
        // Faults in the first 80 % of the phase, one per slot at a random moment within it, so
        // the last recovery is over before the schedulers stop.
        long slot = phase * 8 / 10 / kinds.size();
        long start = System.nanoTime();
        for (int i = 0; i < kinds.size(); i++) {
            long at = i * slot + (long) (random.nextDouble() * slot * 0.7);
            sleepUntil(start, at);
            supervise();
            faults.add(inject(kinds.get(i), Duration.ofNanos(System.nanoTime() - start)));
        }
        while (System.nanoTime() - start < phase * 1_000_000) {
            supervise();
            stopCheck.check();
            Thread.sleep(500);
        }
        return injected();
    }

    /** The faults injected so far (all of them once {@link #inject()} returned). */
    List<Fault> injected() {
        return List.copyOf(faults);
    }

    private Fault inject(Fault.Kind kind, Duration at) throws InterruptedException {
        Duration down = Duration.ofMillis(1_000 + random.nextInt(3_000));
        return switch (kind) {
            case KILL_WORKER -> {
                List<RoleProcess> ws = cluster.workers();
                yield kill(kind, ws.get(random.nextInt(ws.size())), at, down);
            }
            case KILL_API -> kill(kind, cluster.api(), at, down);
            case KILL_SCHEDULER -> kill(kind, cluster.leader(Duration.ofSeconds(30)), at, down);
            case RESTART_POSTGRES -> {
                say.say("fault: stopping PostgreSQL for %d ms", down.toMillis());
                // the current primary: the promoted standby once a failover happened
                EmbeddedPostgres pg = db.primary();
                pg.stop();
                Thread.sleep(down.toMillis());
                long t = System.nanoTime();
                pg.restart();
                yield new Fault(
                        kind, "postgres", at, down, Duration.ofNanos(System.nanoTime() - t));
            }
            case FAILOVER_POSTGRES -> {
                say.say(
                        "fault: SIGKILL the PostgreSQL primary, promote its standby in %d ms",
                        down.toMillis());
                ChaosDatabase.Failover f = db.failover(down);
                Duration outage = f.writeOutage();
                say.say(
                        "standby promoted in %d ms; write outage %s",
                        f.promotion().toMillis(),
                        outage == null ? "over 2 min" : outage.toMillis() + " ms");
                yield new Fault(kind, "postgres primary", at, down, f.promotion(), outage);
            }
            case RESTART_KAFKA -> {
                say.say("fault: stopping the Kafka broker for %d ms", down.toMillis());
                kafka.stop();
                Thread.sleep(down.toMillis());
                long t = System.nanoTime();
                kafka.restart();
                yield new Fault(kind, "kafka", at, down, Duration.ofNanos(System.nanoTime() - t));
            }
        };
    }

    private Fault kill(Fault.Kind kind, RoleProcess victim, Duration at, Duration down)
            throws InterruptedException {
        say.say("fault: SIGKILL %s, restart in %d ms", victim.name(), down.toMillis());
        victim.kill();
        Thread.sleep(down.toMillis());
        long t = System.nanoTime();
        victim.start();
        if (!cluster.awaitReady(List.of(victim), READY_TIMEOUT)) {
            say.say(
                    "%s not ready %d s after its restart",
                    victim.name(), READY_TIMEOUT.toSeconds());
        }
        return new Fault(kind, victim.name(), at, down, Duration.ofNanos(System.nanoTime() - t));
    }

    private void supervise() throws InterruptedException {
        for (String name : cluster.superviseOnce()) {
            say.say("%s had exited by itself; restarted it", name);
        }
    }

    /** Sleeps in steps of at most 500 ms, checking between them whether to stop. */
    private void sleepUntil(long start, long atMillis) throws InterruptedException {
        long wait;
        while ((wait = atMillis - (System.nanoTime() - start) / 1_000_000) > 0) {
            stopCheck.check();
            Thread.sleep(Math.min(wait, 500));
        }
        stopCheck.check();
    }
}
