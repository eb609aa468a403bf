package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.alerts.AlertMetrics;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.Topics;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.telemetry.ManagementServer;
import dev.vigil.telemetry.Metrics;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.Worker;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;

/**
 * The demo's single management endpoint: every in-process component of {@link LocalPipeline} bound
 * to one registry tagged {@code role="local"}, with the same meters the production roles export.
 * Built in steps because the pieces start at different times: the registry first (the API needs its
 * request logger at start), the Kafka producer next, the endpoint last.
 */
final class LocalMetrics {
    private final Lifecycle lc;
    private final PrometheusMeterRegistry registry;
    private final ApiMetrics api;
    private @Nullable String bootstrap;
    private @Nullable Topics topics;
    private @Nullable Producer<?, ?> producer;

    private LocalMetrics(Lifecycle lc, PrometheusMeterRegistry registry) {
        this.lc = lc;
        this.registry = registry;
        this.api = ApiMetrics.on(registry);
    }

    static LocalMetrics start(Lifecycle lc) {
        PrometheusMeterRegistry registry = Metrics.forRole("local");
        lc.own("metrics registry", registry::close);
        return new LocalMetrics(lc, registry);
    }

    /** The API's request logger; an extra for {@code ApiServer.start}. */
    void api(JavalinConfig cfg) {
        api.register(cfg);
    }

    /** The alert dispatcher's meters, on this registry. */
    AlertMetrics alerts(DataSource db) {
        return AlertMetrics.on(registry, db);
    }

    /** The registry, for a component that registers its own meters (the insight-event relay). */
    MeterRegistry registry() {
        return registry;
    }

    /** The broker and the shared producer, bound when the endpoint starts. */
    void kafka(String bootstrapServers, Topics topicNames, Producer<?, ?> sharedProducer) {
        this.bootstrap = bootstrapServers;
        this.topics = topicNames;
        this.producer = sharedProducer;
    }

    /** Binds everything and starts the endpoint on a free loopback port. */
    ManagementServer endpoint(
            HikariDataSource db,
            Scheduler scheduler,
            Worker fast,
            Worker slow,
            ChangeWorker changes,
            RuleSetHolder rules) {
        String servers = Objects.requireNonNull(bootstrap, "kafka(...) first");
        String scanTopic = Objects.requireNonNull(topics, "kafka(...) first").scanRequests();
        RoleMetrics.pool(registry, db);
        RoleMetrics.scheduler(registry, scheduler);
        RoleMetrics.worker(registry, fast);
        RoleMetrics.worker(registry, slow);
        CheckMetrics.bind(registry, rules.stats());
        OpenInsights.bind(registry, db);
        RolloutMetrics.api(registry, db);
        KafkaMetrics kafka =
                lc.own("kafka metrics", KafkaMetrics.on(registry))
                        .producer(Objects.requireNonNull(producer))
                        .consumers(fast.kafkaConsumers())
                        .consumers(slow.kafkaConsumers())
                        .consumers(changes.kafkaConsumers());
        for (Worker w : new Worker[] {fast, slow}) {
            kafka.lag(servers, Worker.groupId(w.lane()), scanTopic, w.lane().wire());
        }
        kafka.lag(
                servers,
                ChangeWorker.GROUP,
                Objects.requireNonNull(topics).configChanges(),
                KafkaMetrics.CHANGES_LANE);
        return lc.own(
                "management endpoint",
                ManagementServer.start(
                        "127.0.0.1",
                        0,
                        registry,
                        Map.of(
                                "database", RoleMetrics.database(db),
                                "fast consumers", RoleMetrics.consumers(fast),
                                "slow consumers", RoleMetrics.consumers(slow))));
    }
}
