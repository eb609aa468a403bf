package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangeCodecTest {
    private final ConfigChangeCodec codec = ConfigChangeCodec.create();

    @Test
    void zoneChangeSurvivesARoundTrip() {
        ConfigChange c =
                new ConfigChange(
                        Target.zone("z1", "a1", "example.com", Plan.PRO),
                        7,
                        List.of("dns_records", "settings"),
                        Instant.parse("2026-11-25T10:15:30.123456Z"));

        assertThat(codec.decode(codec.encode(c))).isEqualTo(c);
    }

    @Test
    void accountChangeOfEverySectionSurvivesARoundTrip() {
        ConfigChange c =
                new ConfigChange(
                        Target.account("a1", "Acme", Plan.ENTERPRISE),
                        1,
                        List.of(),
                        Instant.parse("2026-11-25T10:15:30Z"));

        assertThat(codec.decode(codec.encode(c))).isEqualTo(c);
    }

    @Test
    void aScanRequestIsNotAConfigChange() {
        byte[] request =
                ScanRequestCodec.create()
                        .encode(
                                ScanRequest.of(
                                        Target.account("a1", "Acme", Plan.FREE),
                                        Lane.FAST,
                                        ScanReason.SCHEDULED,
                                        Instant.now()));

        assertThatThrownBy(() -> codec.decode(request))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("not a config change");
        assertThatThrownBy(() -> codec.decode("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableMessageException.class);
    }

    @Test
    void versionsStartAtOne() {
        assertThatThrownBy(
                        () ->
                                new ConfigChange(
                                        Target.account("a1", "Acme", Plan.FREE),
                                        0,
                                        List.of(),
                                        Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a1");
    }
}
