package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.alerts.AlertMetrics;
import dev.vigil.alerts.DispatcherConfig;
import dev.vigil.alerts.HostResolver;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.SenderConfig;
import dev.vigil.alerts.Senders;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.api.InventorySettings;
import dev.vigil.api.PushAdmission;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.DatabaseConfig;
import dev.vigil.config.Env;
import dev.vigil.config.KafkaConfig;
import dev.vigil.config.Setting;
import dev.vigil.dashboard.DashboardRoutes;
import dev.vigil.events.ConfigChangePublisher;
import dev.vigil.events.InsightEventRelay;
import dev.vigil.events.InsightEventSettings;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.Topics;
import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PartitionSettings;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.results.ResultsClient;
import dev.vigil.scheduling.LagSignal;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.scheduling.WatchdogConfig;
import dev.vigil.telemetry.Metrics;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each production role from environment variables: every setting validated before anything
 * starts, the effective configuration logged with secrets masked, and the infrastructure checked
 * (database and broker reachable) so a bad address fails in seconds with the variable's name.
 */
public final class Roles {
    private static final Logger log = LoggerFactory.getLogger(Roles.class);

    static final Setting<String> RESULTS_URL =
            Setting.string(
                    "VIGIL_RESULTS_URL",
                    null,
                    "base URL of the results API the workers send results to");
    static final Setting<String> SERVICE_TOKEN =
            Setting.secret(
                    "VIGIL_SERVICE_TOKEN",
                    null,
                    "service token of the workers for the internal results API");
    static final Setting<String> API_HOST =
            Setting.string(
                    "VIGIL_API_HOST", ApiSettings.DEFAULT_HOST, "interface the API listens on");
    static final Setting<Integer> API_PORT =
            Setting.integer(
                    "VIGIL_API_PORT",
                    ApiSettings.DEFAULT_PORT,
                    0,
                    65_535,
                    "port the API listens on");

    static final Setting<Integer> API_RATE_PER_TOKEN =
            Setting.integer(
                    "VIGIL_API_REQUESTS_PER_TOKEN_PER_MINUTE",
                    ApiSettings.DEFAULT_REQUESTS_PER_TOKEN_PER_MINUTE,
                    0,
                    1_000_000,
                    "requests a minute each token may make of the public routes (429 past it; 0:"
                            + " no limit; the internal routes are not limited)");

    static final Setting<Integer> CHANGE_INLINE_MAX_BYTES =
            Setting.integer(
                    "VIGIL_CHANGE_INLINE_MAX_BYTES",
                    ConfigChangePublisher.DEFAULT_INLINE_MAX_BYTES,
                    0,
                    ConfigChangePublisher.MAX_INLINE_MAX_BYTES,
                    "pushed documents up to this many bytes travel inline in their config-change"
                            + " event, so the change workers need not fetch them (0: never"
                            + " inline; at most 786432, to fit Kafka's default 1 MiB message)");

    private Roles() {}

    /**
     * A checked pool to the database configured by {@code VIGIL_DATABASE_*}; the caller closes it.
     */
    public static HikariDataSource pool(Env env) {
        return RoleSupport.pool(DatabaseConfig.from(env));
    }

    /** Applies the schema to the configured database. */
    public static void migrate(Env env) {
        DatabaseConfig db = DatabaseConfig.from(env);
        RoleSupport.logEffective("migrate", env);
        Migrations.apply(db.url(), db.user(), db.password());
        log.info("schema is up to date at {}", db.url());
    }

    public static AutoCloseable scheduler(Env env) {
        DatabaseConfig dbc = DatabaseConfig.from(env);
        KafkaConfig kc = KafkaConfig.from(env);
        SchedulerConfig sc = SchedulerConfig.from(env);
        WatchdogConfig wc = WatchdogConfig.from(env, sc.maxLag());
        PlanIntervals intervals = PlanIntervals.from(env);
        RoleSupport.Management mgmt = RoleSupport.Management.from(env);
        RoleSupport.logEffective("scheduler", env);
        Lifecycle lc = new Lifecycle();
        try {
            HikariDataSource db = lc.own("database pool", RoleSupport.pool(dbc));
            KafkaClients.verifyReachable(kc, Duration.ofSeconds(10));
            Topics topics = new Topics(kc.topicPrefix());
            KafkaClients.ensureTopics(
                    kc.bootstrapServers(),
                    List.of(topics.scanRequests(), topics.deadLetters()),
                    kc.partitions(),
                    kc.replicationFactor(),
                    Duration.ofSeconds(60));
            var producer =
                    lc.own(
                            "producer",
                            KafkaClients.producer(kc.bootstrapServers(), "vigil-scheduler"));
            Wiring.Kafka kafka = new Wiring.Kafka(kc.bootstrapServers(), topics, producer);
            ScanRequestPublisher publisher = Wiring.scanRequests(kafka, Tracing.global());
            Clock clock = Clock.systemUTC();
            Inventory inventory = Inventory.create(db, intervals, clock, new SecureRandom());
            LagSignal lag =
                    sc.maxLag().isZero()
                            ? LagSignal.none()
                            : lc.own(
                                    "lag signal",
                                    Wiring.lagSignal(kafka, LaneLagSignal.DEFAULT_EVERY));
            Scheduler scheduler =
                    Wiring.scheduler(db, publisher, inventory, intervals, sc, clock, lag, wc);
            lc.own("scheduler", scheduler);
            CloudflareSync discovery =
                    CloudflareSync.startIf(
                            env, FleetSync.create(db, inventory), scheduler::isLeader);
            if (discovery != null) {
                lc.own("cloudflare discovery", discovery);
            }
            PrometheusMeterRegistry registry = Metrics.forRole("scheduler");
            RoleMetrics.pool(registry, db);
            RoleMetrics.scheduler(registry, scheduler);
            lc.own("kafka metrics", KafkaMetrics.on(registry).producer(producer));
            RoleSupport.management(
                    lc, "scheduler", mgmt, Map.of("database", RoleMetrics.database(db)), registry);
            return lc;
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    public static AutoCloseable worker(Env env, Lane lane) {
        KafkaConfig kc = KafkaConfig.from(env);
        WorkerConfig wc = WorkerConfig.from(env);
        WorkerSources sources = WorkerSources.from(env);
        Duration sourceTimeout = sources.fetchTimeout();
        URI resultsUrl = RoleSupport.uri(env, RESULTS_URL);
        String serviceToken = env.get(SERVICE_TOKEN);
        WorkerRules workerRules = WorkerRules.from(env);
        RoleSupport.Management mgmt = RoleSupport.Management.from(env);
        RoleSupport.logEffective("worker " + lane.wire(), env);
        Lifecycle lc = new Lifecycle();
        // The agent's SDK when the process runs with -javaagent (README, "Operating it").
        Tracing tracing = Tracing.global();
        try {
            KafkaClients.verifyReachable(kc, Duration.ofSeconds(10));
            Topics topics = new Topics(kc.topicPrefix());
            // before any consumer: the first scan already applies the rollout in force
            WorkerRules.Opened opened = workerRules.open(lc, resultsUrl, serviceToken, lane);
            RuleSetHolder rules = opened.rules();
            var producer =
                    lc.own(
                            "producer",
                            KafkaClients.producer(
                                    kc.bootstrapServers(), "vigil-worker-" + lane.wire()));
            var source = lc.own("config source", sources.open(tracing));
            ResultsClient results =
                    lc.own(
                            "results client",
                            ResultsClient.create(
                                    resultsUrl, serviceToken, Duration.ofSeconds(60), tracing));
            Wiring.Kafka kafka = new Wiring.Kafka(kc.bootstrapServers(), topics, producer);
            Wiring.Scans scans =
                    new Wiring.Scans(
                            rules,
                            WorkerConfig.resultBatcher(results, env)::submit,
                            tracing,
                            Clock.systemUTC());
            KafkaClients.ensureTopics(
                    kc.bootstrapServers(),
                    List.of(topics.configChanges()),
                    kc.partitions(),
                    kc.replicationFactor(),
                    Duration.ofSeconds(60));
            // Every worker process also consumes config changes, in one group shared by both lanes.
            ChangeWorker changeWorker =
                    lc.own(
                            "change worker",
                            Wiring.changeWorker(
                                    kafka,
                                    wc,
                                    Wiring.snapshots(
                                            lc, resultsUrl, serviceToken, sourceTimeout, tracing),
                                    scans));
            Worker worker = lc.own("worker", Wiring.worker(kafka, lane, wc, source, scans));
            PrometheusMeterRegistry registry = Metrics.forRole("worker");
            RoleMetrics.worker(registry, worker);
            CheckMetrics.bind(registry, rules.stats());
            RolloutMetrics.worker(registry, rules, opened.rollout());
            lc.own("kafka metrics", KafkaMetrics.on(registry))
                    .producer(producer)
                    .consumers(worker.kafkaConsumers())
                    .consumers(changeWorker.kafkaConsumers())
                    .lag(
                            kc.bootstrapServers(),
                            Worker.groupId(lane),
                            topics.scanRequests(),
                            lane.wire())
                    .lag(
                            kc.bootstrapServers(),
                            ChangeWorker.GROUP,
                            topics.configChanges(),
                            KafkaMetrics.CHANGES_LANE);
            RoleSupport.management(
                    lc,
                    "worker " + lane.wire(),
                    mgmt,
                    Map.of(
                            "consumers",
                            RoleMetrics.consumers(worker),
                            "change consumers",
                            changeWorker::readiness,
                            "rules",
                            () -> RoleSupport.rules(rules)),
                    registry);
            return lc;
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    public static AutoCloseable api(Env env) {
        DatabaseConfig dbc = DatabaseConfig.from(env);
        String host = env.get(API_HOST);
        int port = env.get(API_PORT);
        int perToken = env.get(API_RATE_PER_TOKEN);
        int inlineMaxBytes = env.get(CHANGE_INLINE_MAX_BYTES);
        InventorySettings inventory = InventorySettings.from(env);
        RoleSupport.Management mgmt = RoleSupport.Management.from(env);
        SecretBox alertSecrets = RoleSupport.alertSecrets(env);
        PartitionSettings partitionSettings = PartitionSettings.from(env);
        int backlogMax = env.get(ChangeBacklogGate.BACKLOG_MAX);
        InsightEventSettings insightEvents = InsightEventSettings.from(env);
        RoleSupport.logEffective("api", env);
        Lifecycle lc = new Lifecycle();
        try {
            HikariDataSource db = lc.own("database pool", RoleSupport.pool(dbc));
            PrometheusMeterRegistry registry = Metrics.forRole("api");
            ApiMetrics apiMetrics = ApiMetrics.on(registry);
            Wiring.Kafka kafka = null;
            PushAdmission admission = PushAdmission.open();
            if (env.raw(KafkaConfig.BOOTSTRAP.name()) != null) {
                // optional: without Kafka the API serves everything but config pushes and
                // on-demand scans, which answer 503
                KafkaConfig kc = KafkaConfig.from(env);
                KafkaClients.verifyReachable(kc, Duration.ofSeconds(10));
                Topics topics = new Topics(kc.topicPrefix());
                KafkaClients.ensureTopics(
                        kc.bootstrapServers(),
                        List.of(
                                topics.scanRequests(),
                                topics.deadLetters(),
                                topics.configChanges(),
                                topics.insightEvents()),
                        kc.partitions(),
                        kc.replicationFactor(),
                        Duration.ofSeconds(60));
                var producer =
                        lc.own(
                                "producer",
                                KafkaClients.producer(kc.bootstrapServers(), "vigil-api"));
                lc.own("kafka metrics", KafkaMetrics.on(registry).producer(producer));
                kafka = new Wiring.Kafka(kc.bootstrapServers(), topics, producer);
                admission =
                        lc.own(
                                "change backlog gate",
                                ChangeBacklogGate.start(
                                        kc.bootstrapServers(),
                                        topics.configChanges(),
                                        ChangeWorker.GROUP,
                                        backlogMax));
            } else {
                log.info(
                        "{} is not set: config pushes and on-demand scans will answer 503",
                        KafkaConfig.BOOTSTRAP.name());
            }
            // Before the server listens: the relay sets the database's queuing switch, and once
            // the port is open, restarted workers queued behind it can hold every pooled
            // connection (a chaos run saw the start fail on that).
            if (kafka != null) {
                lc.own(
                        "insight-event relay",
                        Wiring.insightEvents(db, kafka, insightEvents, registry));
            } else {
                InsightEventRelay.disable(db); // nothing could drain the queue
            }
            ApiServer server =
                    lc.own(
                            "api",
                            Wiring.api(
                                    ApiServer.Options.of(
                                                    new ApiSettings(
                                                            host,
                                                            port,
                                                            ApiSettings
                                                                    .DEFAULT_MAX_FINDINGS_PER_CALL,
                                                            ApiSettings.DEFAULT_UNNEST_THRESHOLD,
                                                            perToken),
                                                    db)
                                            .withInventory(
                                                    inventory,
                                                    Inventory.create(
                                                            db,
                                                            inventory.intervals(),
                                                            Clock.systemUTC(),
                                                            new SecureRandom()))
                                            .withExtras(
                                                    List.of(
                                                            DashboardRoutes::register,
                                                            apiMetrics::register))
                                            .withTracing(Tracing.global())
                                            .withAlertSecrets(alertSecrets)
                                            .withPushAdmission(admission),
                                    kafka,
                                    inlineMaxBytes));
            log.info("api listening on {} (dashboard at /dashboard/)", server.baseUrl());
            RoleMetrics.pool(registry, db);
            OpenInsights.bind(registry, db);
            RolloutMetrics.api(registry, db);
            // every api replica runs a dispatcher; they share the outbox through their claims.
            // Closed before the server and the pool (the lifecycle closes in reverse order).
            Senders senders =
                    lc.own(
                            "alert senders",
                            Senders.create(
                                    SenderConfig.from(env),
                                    HostResolver.system(),
                                    Clock.systemUTC()));
            lc.own(
                    "alert dispatcher",
                    Wiring.alerts(
                            db,
                            senders,
                            DispatcherConfig.from(env, server.baseUrl()),
                            Optional.ofNullable(alertSecrets),
                            AlertMetrics.on(registry, db)));
            lc.own(
                    "partition upkeep",
                    Wiring.partitionUpkeep(db, partitionSettings, Clock.systemUTC(), registry));
            RoleSupport.management(
                    lc, "api", mgmt, Map.of("database", RoleMetrics.database(db)), registry);
            return lc;
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }
}
