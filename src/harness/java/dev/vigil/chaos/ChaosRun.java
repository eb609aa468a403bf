package dev.vigil.chaos;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.vigil.app.InsightCensus;
import dev.vigil.app.RoleCluster;
import dev.vigil.app.RoleEnvironment;
import dev.vigil.app.StopSignals;
import dev.vigil.chaos.internal.TopicAudit;
import dev.vigil.embedded.EmbeddedKafkaCluster;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.Worker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * {@code vigil chaos}: runs the production roles as child processes against embedded PostgreSQL (a
 * primary and a synchronous standby) and a three-broker Kafka cluster (child processes too; topics
 * with three replicas and {@code min.insync.replicas} 2), injects the faults of a {@link FaultPlan}
 * during the load phase, stops the schedulers, waits (bounded) for the workers to drain, and checks
 * what the database and the topics hold. A {@link ProduceProbe} measures the producers' latency
 * throughout, for the broker kills. Prints progress and the report to {@code out}; writes {@code
 * report.md} and the roles' and brokers' logs to {@link ChaosOptions#out()}.
 */
public final class ChaosRun {
    private static final String PREFIX = "chaos.";

    /** Six JVMs share a small machine with the broker and the database: small heaps, C1 only. */
    private static final List<String> SMALL_JVM =
            List.of(
                    "-Xmx256m",
                    "-Xss512k",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-XX:CICompilerCount=1");

    /**
     * Schedulers ×2, fast workers ×2, a slow worker and the API. Two consumers per worker; the
     * workers' default retry budget ({@code VIGIL_WORKER_RETRY_FOR}, 2 min) rides out the API's
     * restart and the PostgreSQL failover however loaded the machine, before a scan is
     * dead-lettered.
     */
    private static final RoleCluster.Layout LAYOUT =
            new RoleCluster.Layout(
                    2,
                    List.of("fast", "fast", "slow"),
                    SMALL_JVM,
                    SMALL_JVM,
                    Map.of("fast", SMALL_JVM, "slow", SMALL_JVM),
                    Map.of("VIGIL_WORKER_CONSUMERS", "2"));

    private static final int PARTITIONS = 12;

    /** Brokers: three, so that one can crash while two keep {@code min.insync.replicas}. */
    private static final int BROKERS = 3;

    /** The probe's topic: one partition per broker, each with a replica on every broker. */
    private static final String PROBE_TOPIC = PREFIX + "produce-probe";

    private final ChaosOptions options;
    private final PrintStream out;
    private final StopSignals signals;
    private final long t0 = System.nanoTime();
    private volatile String phase = "start-up";
    private @Nullable FaultPlan plan;

    private ChaosRun(ChaosOptions options, PrintStream out, StopSignals signals) {
        this.options = options;
        this.out = out;
        this.signals = signals;
    }

    /**
     * Runs the suite; the report says whether every check passed.
     *
     * <p>Ctrl-C (SIGINT) or SIGTERM interrupts the run: the role processes are stopped (SIGTERM,
     * they drain), then the embedded servers, whose directories go; a partial {@code report.md}
     * says where the run stopped and which faults were injected, and no check runs.
     *
     * @throws ChaosStoppedException when a signal stopped the run (after the partial report)
     */
    public static ChaosReport run(ChaosOptions options, PrintStream out)
            throws InterruptedException {
        // If this process is killed by a timeout or halted by a second signal, take the role
        // processes along: in sessions of their own, nothing else would stop them.
        Thread reaper =
                Thread.ofPlatform()
                        .unstarted(
                                () ->
                                        ProcessHandle.current()
                                                .descendants()
                                                .forEach(ProcessHandle::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(reaper);
        try (StopSignals signals = StopSignals.interrupting()) {
            ChaosRun run = new ChaosRun(options, out, signals);
            try {
                return run.run();
            } catch (InterruptedException | RuntimeException e) {
                if (signals.received().isEmpty()) {
                    throw e;
                }
                Thread.interrupted();
                throw run.stopped(signals.received().get());
            }
        } finally {
            Thread.interrupted();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    /**
     * Throws once a signal asked to stop. The signal interrupts the main thread too, but a library
     * call may swallow that interrupt (Kafka's shutdown during a broker restart did): the loops of
     * the run check here as well.
     */
    private void checkStop() throws InterruptedException {
        if (signals.received().isPresent()) {
            throw new InterruptedException("stopped by " + signals.received().get());
        }
    }

    /** Writes the partial report of a run that {@code r} stopped. */
    private ChaosStoppedException stopped(StopSignals.Received r) {
        List<Fault> faults = plan == null ? List.of() : plan.injected();
        String what =
                String.format(
                        "stopped by %s after %.0f s, during the %s; %d fault(s) injected before",
                        r, (System.nanoTime() - t0) / 1e9, phase, faults.size());
        Path file = write(ChaosReport.partialMarkdown(what, faults));
        say("%s; partial report written to %s", what, file);
        return new ChaosStoppedException(what + "; partial report " + file, r.exitCode());
    }

    private ChaosReport run() throws InterruptedException {
        Instant started = Instant.now();
        Topics topics = new Topics(PREFIX);
        Path logs = options.out().resolve("logs");
        say(
                "starting embedded PostgreSQL and %d Kafka brokers; fleet of %d targets",
                BROKERS, options.targets());
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(BROKERS, logs)) {
            Migrations.apply(pg.dataSource());
            KafkaClients.ensureTopics(
                    kafka.bootstrapServers(),
                    List.of(topics.scanRequests(), topics.deadLetters(), topics.configChanges()),
                    PARTITIONS,
                    kafka.replicationFactor(),
                    Duration.ofSeconds(60));
            KafkaClients.ensureTopics(
                    kafka.bootstrapServers(),
                    List.of(PROBE_TOPIC),
                    BROKERS,
                    kafka.replicationFactor(),
                    Duration.ofSeconds(60));
            Fleet fleet =
                    FleetGenerator.generate(options.seed(), options.accounts(), options.zones());
            Inventory.create(
                            pg.dataSource(),
                            PlanIntervals.uniform(options.interval()),
                            Clock.systemUTC(),
                            new Random(options.seed()))
                    .upsert(fleet.targets());
            String serviceToken = ApiTokens.create(pg.dataSource()).issueService("chaos-workers");
            List<Fault> faults;
            say("starting a synchronous standby of PostgreSQL");
            try (ChaosDatabase db = ChaosDatabase.withStandby(pg);
                    ProduceProbe probe =
                            ProduceProbe.start(kafka.bootstrapServers(), PROBE_TOPIC, BROKERS);
                    ConfigService configs =
                            ConfigService.start(
                                    fleet.documentsByTargetId()::get,
                                    ConfigService.LatencyModel.typical(),
                                    null);
                    RoleCluster cluster =
                            new RoleCluster(
                                    LAYOUT,
                                    replicated(
                                            RoleEnvironment.common(
                                                    db.jdbcUrl(),
                                                    pg.user(),
                                                    pg.password(),
                                                    kafka.bootstrapServers(),
                                                    PREFIX,
                                                    options.interval()),
                                            kafka.replicationFactor()),
                                    configs.baseUrl().toString(),
                                    serviceToken,
                                    logs);
                    TopicAudit audit = new TopicAudit(kafka.bootstrapServers())) {
                cluster.start(options.startTimeout(), true, l -> say("%s", l));
                say("6 role processes ready; load phase of %d s", options.loadPhase().toSeconds());
                phase = "load phase";
                plan =
                        new FaultPlan(
                                options,
                                cluster,
                                db,
                                kafka,
                                topics.scanRequests(),
                                probe,
                                this::say,
                                this::checkStop);
                plan.inject();
                phase = "drain";
                cluster.stopSchedulers();
                say(
                        "schedulers stopped; draining (at most %d s)",
                        options.drainTimeout().toSeconds());
                long lag = drain(cluster, audit, topics);
                say("drained: lag %d", lag);
                cluster.close();
                phase = "checks";
                // measured now: the windows after the last broker kill have passed or are over
                faults = plan.measured();
                return check(started, faults, db.primary(), fleet, audit, topics, lag, cluster);
            }
        }
    }

    /** {@code common} with the topics the roles create (the API's) replicated as the suite's. */
    private static Map<String, String> replicated(Map<String, String> common, int replicas) {
        Map<String, String> env = new HashMap<>(common);
        env.put("VIGIL_KAFKA_REPLICATION_FACTOR", Integer.toString(replicas));
        return env;
    }

    private long drain(RoleCluster cluster, TopicAudit audit, Topics topics)
            throws InterruptedException {
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        long lag = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            for (String name : cluster.superviseOnce()) {
                say("%s had exited by itself; restarted it", name);
            }
            lag = lag(audit, topics);
            if (lag == 0) {
                return 0;
            }
            checkStop();
            Thread.sleep(1_000);
        }
        return lag;
    }

    private static long lag(TopicAudit audit, Topics topics) {
        return audit.lag(Worker.groupId(Lane.FAST), topics.scanRequests())
                + audit.lag(Worker.groupId(Lane.SLOW), topics.scanRequests());
    }

    private ChaosReport check(
            Instant started,
            List<Fault> faults,
            EmbeddedPostgres pg,
            Fleet fleet,
            TopicAudit audit,
            Topics topics,
            long drainedLag,
            RoleCluster cluster) {
        Set<UUID> published = audit.scanIds(topics.scanRequests());
        Set<UUID> dead = audit.scanIds(topics.deadLetters());
        Jdbi jdbi = Jdbi.create(pg.dataSource());
        Set<UUID> stored = storedScanIds(jdbi, "true");
        Set<UUID> superseded = storedScanIds(jdbi, "write_path = 'superseded'");
        superseded.retainAll(published);
        Set<UUID> unstored = new HashSet<>(published);
        unstored.removeAll(stored);
        long storedCount = (long) published.size() - unstored.size();
        Set<UUID> lost = new HashSet<>(unstored);
        lost.removeAll(dead);
        long deadLettered = (long) unstored.size() - lost.size();
        long duplicates =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select count(*) from (
                                                  select 1 from insights
                                                   group by account_id, coalesce(zone_id, ''),
                                                            check_id, resource_key
                                                  having count(*) > 1) d
                                                """)
                                        .mapTo(Long.class)
                                        .one());
        InsightCensus census = InsightCensus.take(pg.dataSource(), fleet.planted());
        long lag = lag(audit, topics);
        if (!lost.isEmpty()) {
            say("lost scan ids (first 10): %s", lost.stream().limit(10).toList());
        }
        ChaosReport report =
                new ChaosReport(
                        options,
                        started,
                        Duration.ofNanos(System.nanoTime() - t0),
                        faults,
                        published.size(),
                        storedCount,
                        superseded.size(),
                        deadLettered,
                        lost.size(),
                        duplicates,
                        census.planted(),
                        census.found(),
                        census.missing(),
                        census.unexpected(),
                        lag,
                        ChaosReport.checks(
                                faults,
                                published.size(),
                                lost.size(),
                                duplicates,
                                census.planted(),
                                census.missing(),
                                census.unexpected(),
                                lag));
        say(
                "published=%d stored=%d (superseded %d) dead_lettered=%d lost=%d"
                        + " duplicate_identities=%d %s lag=%d (drain ended at %d) self_restarts=%d",
                published.size(),
                storedCount,
                superseded.size(),
                deadLettered,
                lost.size(),
                duplicates,
                census,
                lag,
                drainedLag,
                cluster.selfRestarts());
        write(report);
        return report;
    }

    /** The distinct scan ids of the {@code scans} rows matching {@code where}. */
    private static Set<UUID> storedScanIds(Jdbi jdbi, String where) {
        return new HashSet<>(
                jdbi.withHandle(
                        h ->
                                h.createQuery("select distinct scan_id from scans where " + where)
                                        .mapTo(UUID.class)
                                        .list()));
    }

    private void write(ChaosReport report) {
        say("report written to %s", write(report.markdown()));
    }

    private Path write(String markdown) {
        Path file = options.out().resolve("report.md");
        try {
            Files.createDirectories(options.out());
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
        return file;
    }

    /** A progress line stamped with the seconds since the run started. */
    @FormatMethod
    void say(@FormatString String format, Object... args) {
        out.printf(
                "vigil chaos [%6.1f s] %s%n",
                (System.nanoTime() - t0) / 1e9, String.format(format, args));
        out.flush();
    }
}
