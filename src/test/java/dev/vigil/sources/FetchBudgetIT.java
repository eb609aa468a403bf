package dev.vigil.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.ConfigService.LatencyModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A fast-lane fetch stops at its budget: the HTTP exchange is cut short, the source answers "over
 * budget" instead of failing, and the source's own limits keep their verdicts when they are the
 * tighter ones.
 */
class FetchBudgetIT {
    private static final Target ZONE = Target.zone("zone-1", "acct-1", "example.com", Plan.PRO);
    private static final byte[] SMALL = "{\"ssl\":\"strict\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LARGE =
            ("{\"pad\":\"" + "x".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);

    @Test
    void aFetchSlowerThanTheBudgetStopsAtTheBudgetNotAtTheAnswer() {
        try (ConfigService service =
                        ConfigService.start(
                                id -> SMALL, LatencyModel.fixed(Duration.ofSeconds(60)), null);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(30), null, 1 << 20)) {
            long began = System.nanoTime();
            Fetched fetched = source.fetch(ZONE, new FetchBudget(1 << 20, Duration.ofMillis(200)));

            assertThat(fetched).isEqualTo(new Fetched.OverBudget("fetch over 200 ms"));
            // The service answers after 60 s and the source times out at 30 s: the budget, not the
            // answer nor the timeout, ended the exchange. The bound leaves a loaded machine slack.
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aDocumentLargerThanTheBudgetIsNotReceivedInFull() {
        try (ConfigService service = ConfigService.start(id -> LARGE);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(5), null, 1 << 20)) {
            Fetched fetched = source.fetch(ZONE, new FetchBudget(1_000, Duration.ofSeconds(5)));

            assertThat(fetched)
                    .isInstanceOfSatisfying(
                            Fetched.OverBudget.class,
                            o -> assertThat(o.reason()).contains("exceeds the limit of 1000"));
        }
    }

    @Test
    void withinTheBudgetTheWholeDocumentArrives() {
        try (ConfigService service = ConfigService.start(id -> LARGE);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(5), null, 1 << 20)) {
            Fetched fetched = source.fetch(ZONE, new FetchBudget(1 << 16, Duration.ofSeconds(5)));

            assertThat(fetched)
                    .isInstanceOfSatisfying(
                            Fetched.Document.class,
                            d -> assertThat(d.document().json()).isEqualTo(LARGE));
        }
    }

    @Test
    void theSourcesOwnLimitsKeepTheirVerdictsWhenTheyAreTighter() {
        try (ConfigService service =
                        ConfigService.start(
                                id -> LARGE, LatencyModel.fixed(Duration.ofSeconds(3)), null);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofMillis(200), null, 1_000)) {
            FetchBudget generous = new FetchBudget(1 << 20, Duration.ofSeconds(10));
            assertThatThrownBy(() -> source.fetch(ZONE, generous))
                    .isInstanceOf(RetriableSourceException.class)
                    .hasMessageContaining("timed out after 200 ms");
        }
        try (ConfigService service = ConfigService.start(id -> LARGE);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(5), null, 1_000)) {
            FetchBudget generous = new FetchBudget(1 << 20, Duration.ofSeconds(10));
            assertThatThrownBy(() -> source.fetch(ZONE, generous))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("exceeds the limit of 1000 bytes");
        }
    }
}
