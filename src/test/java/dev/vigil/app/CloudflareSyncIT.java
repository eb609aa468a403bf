package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.testing.TestPostgres;
import dev.vigil.testing.cloudflare.CloudflareStub;
import dev.vigil.testing.cloudflare.StubFleet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's periodic Cloudflare discovery: it fills the inventory while its scheduler is the
 * active one, does nothing while it stands by, and retires a zone that vanished on a later pass.
 */
class CloudflareSyncIT {
    static TestPostgres pg;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    static long live() {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from targets where deleted_at is null")
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void discoveryRunsEveryPeriodWhileThisSchedulerLeads() {
        try (CloudflareStub stub = CloudflareStub.start(StubFleet.standard())) {
            Env env =
                    Env.of(
                            Map.of(
                                    "VIGIL_CLOUDFLARE_DISCOVERY_PERIOD",
                                    "1s",
                                    "VIGIL_CLOUDFLARE_API_URL",
                                    stub.baseUrl(),
                                    "CLOUDFLARE_API_TOKEN",
                                    StubFleet.TOKEN,
                                    "VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND",
                                    "200"));
            Inventory inventory =
                    Inventory.create(
                            pg.dataSource(),
                            PlanIntervals.uniform(Duration.ofHours(1)),
                            Clock.systemUTC(),
                            new Random(5));
            AtomicBoolean leader = new AtomicBoolean(false);
            CloudflareSync sync =
                    CloudflareSync.startIf(
                            env, FleetSync.create(pg.dataSource(), inventory), leader::get);
            assertThat(sync).isNotNull();
            try (CloudflareSync running = sync) {
                // standing by: no request to the API for two periods and more
                await().during(Duration.ofMillis(2_500))
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> stub.requests().isEmpty() && live() == 0);

                leader.set(true);
                await().atMost(Duration.ofSeconds(60)).until(() -> live() == 10);

                stub.fleet().removeZone("89cd3170aac63df4ba746d42edd08024");
                await().atMost(Duration.ofSeconds(60)).until(() -> live() == 9);
            }
        }
    }

    @Test
    void noPeriodStartsNothingAndABadOneNamesTheVariable() {
        Assertions.assertThat(CloudflareSync.startIf(Env.of(Map.of()), null, () -> true)).isNull();
        Assertions.assertThatThrownBy(
                        () ->
                                CloudflareSync.startIf(
                                        Env.of(Map.of("VIGIL_CLOUDFLARE_DISCOVERY_PERIOD", "soon")),
                                        null,
                                        () -> true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_CLOUDFLARE_DISCOVERY_PERIOD=soon");
    }
}
