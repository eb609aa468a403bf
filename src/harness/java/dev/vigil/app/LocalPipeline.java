package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.results.Database;
import dev.vigil.results.ResultsClient;
import dev.vigil.scheduling.LagSignal;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.ManagementServer;
import dev.vigil.telemetry.Tracing;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process on embedded Kafka and PostgreSQL, with a synthetic fleet served
 * by the simulated config service: what {@code vigil demo} runs and what the end-to-end tests
 * drive. Every component is the production one; only the infrastructure is in-process.
 *
 * <p>{@link #close()} stops everything in reverse order of start and leaves no thread, port or
 * directory behind.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);

    /**
     * How often the scheduler's lag signal samples here: faster than the roles' 5 s, as the demo
     * and the benchmarks work in seconds.
     */
    static final Duration LAG_EVERY = Duration.ofSeconds(1);

    /**
     * What to run.
     *
     * @param intervals scan intervals; the demo uses seconds so the whole fleet is scanned at once
     * @param apiPort 0 for a free port
     * @param configLatency latency of the simulated config service
     * @param rulesDir a directory of rule files added to the shipped catalogue, watched for changes
     * @param tracing given to every component, as each role gives its own (the agent's SDK when the
     *     JVM runs with one, see {@link Tracing#global()})
     * @param alerts the alert settings as the api role reads them ({@code VIGIL_ALERT_*}, {@code
     *     VIGIL_SMTP_*}, {@code VIGIL_PUBLIC_URL}); without {@code VIGIL_ALERT_SECRET_KEY} the
     *     pipeline seals destinations' secrets with a random key, as its database lives no longer
     */
    public record Options(
            long seed,
            int accounts,
            int zones,
            PlanIntervals intervals,
            int apiPort,
            ConfigService.LatencyModel configLatency,
            @Nullable Path rulesDir,
            WorkerConfig worker,
            SchedulerConfig scheduler,
            Tracing tracing,
            Env alerts) {

        /** Options without tracing, with the alert settings' defaults. */
        public Options(
                long seed,
                int accounts,
                int zones,
                PlanIntervals intervals,
                int apiPort,
                ConfigService.LatencyModel configLatency,
                @Nullable Path rulesDir,
                WorkerConfig worker,
                SchedulerConfig scheduler) {
            this(
                    seed,
                    accounts,
                    zones,
                    intervals,
                    apiPort,
                    configLatency,
                    rulesDir,
                    worker,
                    scheduler,
                    Tracing.noop(),
                    Env.of(Map.of()));
        }

        /** These options with every component traced by {@code tracing}. */
        public Options withTracing(Tracing tracing) {
            return new Options(
                    seed,
                    accounts,
                    zones,
                    intervals,
                    apiPort,
                    configLatency,
                    rulesDir,
                    worker,
                    scheduler,
                    tracing,
                    alerts);
        }

        /** These options with the alert settings read from {@code alerts}. */
        public Options withAlerts(Env alerts) {
            return new Options(
                    seed,
                    accounts,
                    zones,
                    intervals,
                    apiPort,
                    configLatency,
                    rulesDir,
                    worker,
                    scheduler,
                    tracing,
                    alerts);
        }
    }

    private final Lifecycle lifecycle;
    private final Fleet fleet;
    private final HikariDataSource db;
    private final ApiServer api;
    private final Scheduler scheduler;
    private final Worker fast;
    private final Worker slow;
    private final ChangeWorker changeWorker;
    private final RuleSetHolder rules;
    private final String accountToken;
    private final String bootstrap;
    private final Topics topics;
    private final ConfigService configService;
    private final URI managementUrl;

    private LocalPipeline(
            Lifecycle lifecycle,
            Fleet fleet,
            HikariDataSource db,
            ApiServer api,
            Scheduler scheduler,
            Worker fast,
            Worker slow,
            ChangeWorker changeWorker,
            RuleSetHolder rules,
            String accountToken,
            String bootstrap,
            Topics topics,
            ConfigService configService,
            URI managementUrl) {
        this.lifecycle = lifecycle;
        this.fleet = fleet;
        this.db = db;
        this.api = api;
        this.scheduler = scheduler;
        this.fast = fast;
        this.slow = slow;
        this.changeWorker = changeWorker;
        this.rules = rules;
        this.accountToken = accountToken;
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.configService = configService;
        this.managementUrl = managementUrl;
    }

    /** Starts every component; on failure, closes what was started and rethrows. */
    public static LocalPipeline start(Options o) {
        Lifecycle lc = new Lifecycle();
        try {
            return start(o, lc);
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    private static LocalPipeline start(Options o, Lifecycle lc) {
        Clock clock = Clock.systemUTC();
        EmbeddedPostgres pg = lc.own("postgres", EmbeddedPostgres.start());
        Migrations.apply(pg.dataSource());
        HikariDataSource db =
                lc.own(
                        "database pool",
                        Database.pool(
                                pg.jdbcUrl(),
                                pg.user(),
                                pg.password(),
                                20,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(2)));
        EmbeddedKafka kafka = lc.own("kafka", EmbeddedKafka.start());
        Topics topics = new Topics("vigil.");
        KafkaClients.ensureTopics(
                kafka.bootstrapServers(),
                List.of(
                        topics.scanRequests(),
                        topics.deadLetters(),
                        topics.configChanges(),
                        topics.insightEvents()),
                30,
                Duration.ofSeconds(60));

        Fleet fleet = FleetGenerator.generate(o.seed(), o.accounts(), o.zones());
        Inventory inventory = Inventory.create(db, o.intervals(), clock, new Random(o.seed()));
        inventory.upsert(fleet.targets());

        // The simulated config owner serves what was pushed to the API last, as a real owner that
        // pushes its changes would: scheduled scans then agree with the change events.
        Map<String, byte[]> pushed = new ConcurrentHashMap<>();
        Map<String, byte[]> generated = fleet.documentsByTargetId();
        ConfigService configService =
                lc.own(
                        "config service",
                        ConfigService.start(
                                id -> pushed.getOrDefault(id, generated.get(id)),
                                o.configLatency(),
                                null));
        KafkaProducer<String, byte[]> producer =
                lc.own("producer", KafkaClients.producer(kafka.bootstrapServers(), "vigil-local"));
        Wiring.Kafka k = new Wiring.Kafka(kafka.bootstrapServers(), topics, producer);
        LocalMetrics metrics = LocalMetrics.start(lc);
        metrics.kafka(kafka.bootstrapServers(), topics, producer);

        ApiTokens tokens = ApiTokens.create(db);
        String serviceToken = tokens.issueService("local-workers");
        List<String> accountIds =
                fleet.targets().stream().map(Target::accountId).distinct().sorted().toList();
        String accountToken = tokens.issueForAccounts("local-user", accountIds);

        Tracing tracing = o.tracing();
        ApiServer api = LocalApi.start(lc, o, db, inventory, metrics, k, pushed);
        RuleSetHolder rules = LocalRules.start(lc, o.rulesDir(), api.baseUrl(), serviceToken);
        ConfigSource source =
                lc.own(
                        "config source",
                        HttpConfigSource.create(
                                configService.baseUrl(),
                                Duration.ofSeconds(10),
                                null,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                HttpConfigSource.DEFAULT_MAX_PER_HOST,
                                tracing));
        ResultsClient results =
                lc.own(
                        "results client",
                        ResultsClient.create(
                                api.baseUrl(), serviceToken, Duration.ofSeconds(60), tracing));
        Wiring.Scans scans =
                new Wiring.Scans(
                        rules,
                        WorkerConfig.resultBatcher(results, Env.of(Map.of()))::submit,
                        tracing,
                        clock);
        Worker fast =
                lc.own("fast workers", Wiring.worker(k, Lane.FAST, o.worker(), source, scans));
        Worker slow =
                lc.own("slow workers", Wiring.worker(k, Lane.SLOW, o.worker(), source, scans));
        ChangeWorker changeWorker =
                lc.own(
                        "change workers",
                        Wiring.changeWorker(
                                k,
                                o.worker(),
                                Wiring.snapshots(
                                        lc,
                                        api.baseUrl(),
                                        serviceToken,
                                        Duration.ofSeconds(10),
                                        tracing),
                                scans));
        LagSignal lag =
                o.scheduler().maxLag().isZero()
                        ? LagSignal.none()
                        : lc.own("lag signal", Wiring.lagSignal(k, LAG_EVERY));
        Scheduler scheduler =
                lc.own(
                        "scheduler",
                        Wiring.scheduler(
                                db,
                                Wiring.scanRequests(k, tracing),
                                inventory,
                                o.intervals(),
                                o.scheduler(),
                                clock,
                                lag));
        ManagementServer management =
                metrics.endpoint(db, scheduler, fast, slow, changeWorker, rules);
        log.info(
                "local pipeline started: api {}, kafka {}, config service {}",
                api.baseUrl(),
                kafka.bootstrapServers(),
                configService.baseUrl());
        return new LocalPipeline(
                lc,
                fleet,
                db,
                api,
                scheduler,
                fast,
                slow,
                changeWorker,
                rules,
                accountToken,
                kafka.bootstrapServers(),
                topics,
                configService,
                management.baseUrl());
    }

    /** The management endpoint: {@code /metrics}, {@code /livez}, {@code /readyz}. */
    public URI managementUrl() {
        return managementUrl;
    }

    public Fleet fleet() {
        return fleet;
    }

    public HikariDataSource database() {
        return db;
    }

    public URI apiUrl() {
        return api.baseUrl();
    }

    /** A token that may read every account of the fleet. */
    public String accountToken() {
        return accountToken;
    }

    public String kafkaBootstrap() {
        return bootstrap;
    }

    public Topics topics() {
        return topics;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public List<Worker> workers() {
        return List.of(fast, slow);
    }

    /** The consumers of config-change events. */
    public ChangeWorker changeWorker() {
        return changeWorker;
    }

    /** The rule set the workers evaluate, reloaded from {@link Options#rulesDir()} on change. */
    public RuleSetHolder rules() {
        return rules;
    }

    public ConfigService configService() {
        return configService;
    }

    /** Scans stored so far (both lanes). */
    public long scansDone() {
        return fast.scans().scanned() + slow.scans().scanned();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
