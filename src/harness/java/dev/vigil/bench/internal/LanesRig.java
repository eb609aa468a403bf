package dev.vigil.bench.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.KafkaClients;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.results.Database;
import dev.vigil.results.ResultsClient;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.tokens.ApiTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jspecify.annotations.Nullable;

/**
 * The infrastructure of the {@code lanes} scenario, shared by its runs: embedded PostgreSQL and
 * Kafka, the results API, the fleet in the inventory, and the simulated config service, whose
 * answers for the chosen slow targets take between {@code slowMin} and {@code slowMax} while {@link
 * #slowTargets(boolean)} is on. Closing stops everything in reverse order.
 */
public final class LanesRig implements AutoCloseable {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final Set<String> slowIds;
    private final Duration slowMin;
    private final Duration slowMax;
    private volatile boolean slowOn = true;
    private @Nullable EmbeddedKafka kafka;
    private @Nullable KafkaProducer<String, byte[]> producer;
    private @Nullable HttpConfigSource source;
    private @Nullable ResultsClient results;
    private @Nullable RuleSetHolder rules;

    private LanesRig(Set<String> slowIds, Duration slowMin, Duration slowMax) {
        this.slowIds = Set.copyOf(slowIds);
        this.slowMin = slowMin;
        this.slowMax = slowMax;
    }

    /** Starts everything; on failure closes what was started and rethrows. */
    public static LanesRig start(
            Fleet fleet, Set<String> slowIds, Duration slowMin, Duration slowMax) {
        LanesRig rig = new LanesRig(slowIds, slowMin, slowMax);
        try {
            rig.startAll(fleet);
            return rig;
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    private void startAll(Fleet fleet) {
        EmbeddedPostgres pg = own(EmbeddedPostgres.start());
        Migrations.apply(pg.dataSource());
        HikariDataSource db =
                own(
                        Database.pool(
                                pg.jdbcUrl(),
                                pg.user(),
                                pg.password(),
                                10,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(2)));
        Inventory.create(
                        db,
                        PlanIntervals.uniform(Duration.ofHours(1)),
                        Clock.systemUTC(),
                        new Random(1))
                .upsert(fleet.targets());
        kafka = own(EmbeddedKafka.start());
        producer = own(KafkaClients.producer(kafka.bootstrapServers(), "vigil-bench-lanes"));
        ApiServer api =
                own(Wiring.api(ApiServer.Options.of(ApiSettings.defaults().withPort(0), db), null));
        results =
                own(
                        ResultsClient.create(
                                api.baseUrl(),
                                ApiTokens.create(db).issueService("bench-lanes"),
                                Duration.ofSeconds(60)));
        var documents = fleet.documentsByTargetId();
        ConfigService service =
                own(
                        ConfigService.start(
                                id -> {
                                    if (slowOn && slowIds.contains(id)) {
                                        pause();
                                    }
                                    return documents.get(id);
                                },
                                // the typical model without its random slow answers: only the slow
                                // targets are slow here
                                new ConfigService.LatencyModel(
                                        Duration.ofMillis(2), 0.5, 0, Duration.ZERO, Duration.ZERO),
                                null));
        source =
                own(
                        HttpConfigSource.create(
                                service.baseUrl(),
                                Duration.ofSeconds(30),
                                null,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES));
        rules = own(RuleSetHolder.watching(null, Duration.ofMinutes(10)));
    }

    /**
     * A slow target's answer: uniformly between the bounds (ends early when the service closes).
     */
    private void pause() {
        long span = slowMax.toNanos() - slowMin.toNanos();
        Duration d =
                slowMin.plusNanos(span <= 0 ? 0 : ThreadLocalRandom.current().nextLong(span + 1));
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the slow targets are slow (run b turns them off). */
    public void slowTargets(boolean on) {
        slowOn = on;
    }

    public void createTopic(String name, int partitions) {
        require(kafka).createTopic(name, partitions);
    }

    public String bootstrap() {
        return require(kafka).bootstrapServers();
    }

    public KafkaProducer<String, byte[]> producer() {
        return require(producer);
    }

    public HttpConfigSource source() {
        return require(source);
    }

    public ResultsClient results() {
        return require(results);
    }

    public RuleSetHolder rules() {
        return require(rules);
    }

    private static <T> T require(@Nullable T t) {
        if (t == null) {
            throw new IllegalStateException("lanes rig used before it started");
        }
        return t;
    }

    @Override
    public void close() {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                // best effort: the rest still closes
            }
        }
    }
}
