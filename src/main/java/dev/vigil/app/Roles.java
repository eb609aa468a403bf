package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DatabaseConfig;
import dev.vigil.config.Env;
import dev.vigil.config.KafkaConfig;
import dev.vigil.config.Setting;
import dev.vigil.dashboard.DashboardRoutes;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.Topics;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.results.Database;
import dev.vigil.results.ResultsClient;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.worker.DeadLetterPublisher;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each production role from environment variables: every setting validated before anything
 * starts, the effective configuration logged with secrets masked, and the infrastructure checked
 * (database and broker reachable) so a bad address fails in seconds with the variable's name.
 */
public final class Roles {
    private static final Logger log = LoggerFactory.getLogger(Roles.class);

    static final Setting<String> CONFIG_SOURCE_URL =
            Setting.string(
                    "VIGIL_CONFIG_SOURCE_URL",
                    null,
                    "base URL of the config service the workers fetch documents from");
    static final Setting<String> CONFIG_SOURCE_TOKEN =
            Setting.secret(
                    "VIGIL_CONFIG_SOURCE_TOKEN",
                    "",
                    "bearer token for the config service (empty for none)");
    static final Setting<Duration> CONFIG_SOURCE_TIMEOUT =
            Setting.duration("VIGIL_CONFIG_SOURCE_TIMEOUT", "10s", "timeout of one config fetch");
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
    static final Setting<String> RULES_DIR =
            Setting.string(
                    "VIGIL_RULES_DIR",
                    "",
                    "directory of rule files added to the shipped catalogue (empty for none)");
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

    private Roles() {}

    /** Applies the schema to the configured database. */
    public static void migrate(Env env) {
        DatabaseConfig db = DatabaseConfig.from(env);
        logEffective("migrate", env);
        Migrations.apply(db.url(), db.user(), db.password());
        log.info("schema is up to date at {}", db.url());
    }

    public static AutoCloseable scheduler(Env env) {
        DatabaseConfig dbc = DatabaseConfig.from(env);
        KafkaConfig kc = KafkaConfig.from(env);
        SchedulerConfig sc = SchedulerConfig.from(env);
        PlanIntervals intervals = PlanIntervals.from(env);
        logEffective("scheduler", env);
        Lifecycle lc = new Lifecycle();
        try {
            HikariDataSource db = lc.own("database pool", pool(dbc));
            KafkaClients.verifyReachable(kc, Duration.ofSeconds(10));
            Topics topics = new Topics(kc.topicPrefix());
            KafkaClients.ensureTopics(
                    kc.bootstrapServers(),
                    List.of(topics.scanRequests(), topics.deadLetters()),
                    kc.partitions(),
                    Duration.ofSeconds(60));
            var producer =
                    lc.own(
                            "producer",
                            KafkaClients.producer(kc.bootstrapServers(), "vigil-scheduler"));
            ScanRequestPublisher publisher =
                    new ScanRequestPublisher(
                            producer, ScanRequestCodec.create(), topics.scanRequests());
            Clock clock = Clock.systemUTC();
            Inventory inventory = Inventory.create(db, intervals, clock, new SecureRandom());
            lc.own("scheduler", Scheduler.start(db, publisher, inventory, intervals, sc, clock));
            return lc;
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    public static AutoCloseable worker(Env env, Lane lane) {
        KafkaConfig kc = KafkaConfig.from(env);
        WorkerConfig wc = WorkerConfig.from(env);
        URI sourceUrl = uri(env, CONFIG_SOURCE_URL);
        String sourceToken = env.get(CONFIG_SOURCE_TOKEN);
        Duration sourceTimeout = env.get(CONFIG_SOURCE_TIMEOUT);
        URI resultsUrl = uri(env, RESULTS_URL);
        String serviceToken = env.get(SERVICE_TOKEN);
        String rulesDir = env.get(RULES_DIR);
        logEffective("worker " + lane.wire(), env);
        Lifecycle lc = new Lifecycle();
        try {
            KafkaClients.verifyReachable(kc, Duration.ofSeconds(10));
            Topics topics = new Topics(kc.topicPrefix());
            RuleSetHolder rules =
                    lc.own(
                            "rules",
                            RuleSetHolder.watching(
                                    rulesDir.isBlank() ? null : Path.of(rulesDir),
                                    Duration.ofSeconds(5)));
            var producer =
                    lc.own(
                            "producer",
                            KafkaClients.producer(
                                    kc.bootstrapServers(), "vigil-worker-" + lane.wire()));
            ScanRequestCodec codec = ScanRequestCodec.create();
            var source =
                    lc.own(
                            "config source",
                            HttpConfigSource.create(
                                    sourceUrl,
                                    sourceTimeout,
                                    sourceToken.isEmpty() ? null : sourceToken,
                                    HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES));
            ResultsClient results =
                    lc.own(
                            "results client",
                            ResultsClient.create(resultsUrl, serviceToken, Duration.ofSeconds(60)));
            ScanHandler handler =
                    new ScanHandler(
                            lane,
                            codec,
                            source,
                            rules,
                            results::submit,
                            new ScanRequestPublisher(producer, codec, topics.scanRequests()),
                            wc.laneLimits());
            lc.own(
                    "worker",
                    Worker.start(
                            kc.bootstrapServers(),
                            topics.scanRequests(),
                            lane,
                            wc,
                            handler,
                            new DeadLetterPublisher(producer, topics.deadLetters()),
                            Clock.systemUTC()));
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
        logEffective("api", env);
        Lifecycle lc = new Lifecycle();
        try {
            HikariDataSource db = lc.own("database pool", pool(dbc));
            ApiServer server =
                    lc.own(
                            "api",
                            ApiServer.start(
                                    new ApiSettings(
                                            host,
                                            port,
                                            ApiSettings.DEFAULT_MAX_FINDINGS_PER_CALL,
                                            ApiSettings.DEFAULT_UNNEST_THRESHOLD),
                                    db,
                                    List.of(DashboardRoutes::register)));
            log.info("api listening on {} (dashboard at /dashboard/)", server.baseUrl());
            return lc;
        } catch (RuntimeException e) {
            lc.close();
            throw e;
        }
    }

    /**
     * A checked pool to the database configured by {@code VIGIL_DATABASE_*}; the caller closes it.
     */
    public static HikariDataSource pool(Env env) {
        return pool(DatabaseConfig.from(env));
    }

    /**
     * A pool to the primary, checked once: an unreachable database fails here naming the variable.
     */
    static HikariDataSource pool(DatabaseConfig c) {
        HikariDataSource ds;
        try {
            ds =
                    Database.pool(
                            c.url(),
                            c.user(),
                            c.password(),
                            c.poolSize(),
                            c.connectionTimeout(),
                            c.statementTimeout());
        } catch (RuntimeException e) {
            throw new ConfigException(
                    DatabaseConfig.URL.name()
                            + "="
                            + c.url()
                            + ": cannot connect as "
                            + c.user()
                            + ": "
                            + rootMessage(e)
                            + ". Check the address, that PostgreSQL is running, and the credentials"
                            + " (VIGIL_DATABASE_USER, VIGIL_DATABASE_PASSWORD).",
                    e);
        }
        try (Connection conn = ds.getConnection()) {
            conn.isValid(5);
        } catch (SQLException e) {
            ds.close();
            throw new ConfigException(
                    DatabaseConfig.URL.name()
                            + "="
                            + c.url()
                            + ": cannot connect as "
                            + c.user()
                            + ": "
                            + rootMessage(e)
                            + ". Check the address, that PostgreSQL is running, and the credentials.",
                    e);
        }
        return ds;
    }

    private static URI uri(Env env, Setting<String> s) {
        String raw = env.get(s);
        try {
            URI u = URI.create(raw.endsWith("/") ? raw : raw + "/");
            if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    s.name()
                            + "="
                            + raw
                            + " is invalid: expected an http(s) URL such as http://localhost:8080/",
                    e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return String.valueOf(r.getMessage());
    }

    private static void logEffective(String role, Env env) {
        log.info("starting {} with {}", role, env.effective());
    }
}
