package dev.vigil.chaos;

import dev.vigil.app.RoleCluster;
import dev.vigil.app.RoleProcess;
import dev.vigil.embedded.EmbeddedKafkaCluster;
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
 * synchronous standby; later restarts act on the promoted server), one controlled restart of a
 * random Kafka broker and one SIGKILL of the broker leading the most scan-request partitions, in a
 * shuffled order. Faults never overlap: each victim is back (or its restart has been waited for)
 * before the next fault, so every failure is observed on its own. Same seed, same order and
 * moments.
 *
 * <p>The killed broker stays down {@link #KAFKA_DOWN} and a few seconds more: longer than the
 * controller's 9 s broker session, so the cluster fences it, elects new leaders and runs on the two
 * brokers left (exactly {@code min.insync.replicas}) for a while before it comes back, as when an
 * orchestrator takes a while to replace a crashed broker. The probe's latency around each kill is
 * measured by {@link #measured()} once the windows have passed.
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

    /** The least time a killed Kafka broker stays down; see the class comment. */
    static final Duration KAFKA_DOWN = Duration.ofSeconds(10);

    /** When a broker was killed and when it served again ({@link System#nanoTime()}). */
    private record Kill(int fault, long killedNanos, long backNanos) {}

    private final ChaosOptions options;
    private final RoleCluster cluster;
    private final ChaosDatabase db;
    private final EmbeddedKafkaCluster kafka;
    private final String busyTopic;
    private final ProduceProbe probe;
    private final Say say;
    private final Random random;
    private final StopCheck stopCheck;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Kill> kills = new ArrayList<>();

    /**
     * @param busyTopic the topic whose partitions' leader {@link Fault.Kind#KILL_KAFKA_LEADER}
     *     kills
     * @param probe the producer whose latency around each broker kill {@link #measured()} reads
     */
    FaultPlan(
            ChaosOptions options,
            RoleCluster cluster,
            ChaosDatabase db,
            EmbeddedKafkaCluster kafka,
            String busyTopic,
            ProduceProbe probe,
            Say say,
            StopCheck stopCheck) {
        this.stopCheck = stopCheck;
        this.options = options;
        this.cluster = cluster;
        this.db = db;
        this.kafka = kafka;
        this.busyTopic = busyTopic;
        this.probe = probe;
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
        kinds.add(Fault.Kind.KILL_KAFKA_LEADER);
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

    /**
     * The faults injected, each broker kill with the probe's latency in the windows around it. A
     * window still running (the run ended within 30 s of a kill or a return) counts the sends made
     * so far: its send count says so.
     */
    List<Fault> measured() {
        List<Fault> out = new ArrayList<>(faults);
        long window = ProduceLatency.WINDOW.toNanos();
        for (Kill k : kills) {
            ProduceLatency latency =
                    new ProduceLatency(
                            probe.window(k.killedNanos() - window, ProduceLatency.WINDOW),
                            probe.window(k.killedNanos(), ProduceLatency.WINDOW),
                            probe.window(k.backNanos(), ProduceLatency.WINDOW));
            out.set(k.fault(), out.get(k.fault()).withProduceLatency(latency));
        }
        return out;
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
                int node = kafka.nodeIds().get(random.nextInt(kafka.nodeIds().size()));
                say.say("fault: stopping Kafka broker %d for %d ms", node, down.toMillis());
                kafka.stop(node);
                Thread.sleep(down.toMillis());
                long t = System.nanoTime();
                kafka.restart(node);
                yield new Fault(
                        kind, "kafka-" + node, at, down, Duration.ofNanos(System.nanoTime() - t));
            }
            case KILL_KAFKA_LEADER -> killKafkaLeader(kind, at, down.plus(KAFKA_DOWN));
        };
    }

    private Fault killKafkaLeader(Fault.Kind kind, Duration at, Duration down)
            throws InterruptedException {
        int node = kafka.busiestLeader(busyTopic);
        boolean controller = kafka.activeController() == node;
        String victim = "kafka-" + node + (controller ? " (active controller)" : "");
        say.say("fault: SIGKILL Kafka broker %s, restart in %d ms", victim, down.toMillis());
        long killed = System.nanoTime();
        kafka.kill(node);
        Thread.sleep(down.toMillis());
        long t = System.nanoTime();
        kafka.restart(node);
        long back = System.nanoTime();
        kills.add(new Kill(faults.size(), killed, back));
        return new Fault(kind, victim, at, down, Duration.ofNanos(back - t));
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
