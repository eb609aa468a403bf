package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherConfigTest {

    static final URI API = URI.create("http://127.0.0.1:8080");

    @Test
    void defaultsPollFivePerSecondAndLinkToTheApisOwnDashboard() {
        DispatcherConfig c = DispatcherConfig.from(Env.of(Map.of()), API);

        assertThat(c.poll()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.backoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoffCap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.giveUp()).isEqualTo(Duration.ofHours(24));
        assertThat(c.concurrency()).isEqualTo(32);
        assertThat(c.dashboard()).isEqualTo(URI.create("http://127.0.0.1:8080/dashboard/"));
    }

    @Test
    void thePublicUrlIsWhereLinksPoint() {
        DispatcherConfig c =
                DispatcherConfig.from(
                        Env.of(Map.of("VIGIL_PUBLIC_URL", "https://vigil.example.com/")), API);

        assertThat(c.dashboard()).isEqualTo(URI.create("https://vigil.example.com/"));
    }

    @Test
    void aPublicUrlThatIsNotHttpIsRefusedNamingTheSetting() {
        assertThatThrownBy(
                        () ->
                                DispatcherConfig.from(
                                        Env.of(Map.of("VIGIL_PUBLIC_URL", "ftp://vigil.example")),
                                        API))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "VIGIL_PUBLIC_URL=ftp://vigil.example is invalid: expected an absolute"
                                + " http(s) URL");
    }

    @Test
    void aBackoffCapBelowItsBaseIsRefused() {
        assertThatThrownBy(
                        () ->
                                DispatcherConfig.from(
                                        Env.of(
                                                Map.of(
                                                        "VIGIL_ALERT_BACKOFF_BASE", "5m",
                                                        "VIGIL_ALERT_BACKOFF_CAP", "1m")),
                                        API))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the backoff cap (PT1M) is below its base (PT5M): raise"
                                + " VIGIL_ALERT_BACKOFF_CAP");
    }
}
