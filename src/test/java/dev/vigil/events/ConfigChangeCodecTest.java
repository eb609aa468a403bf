package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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

    @Test
    void anInlineDocumentIsCopiedInAndOutAndNotPrinted() {
        byte[] json = "{\"settings\":{}}".getBytes(StandardCharsets.UTF_8);
        InlineDocument d = InlineDocument.of(json);
        json[0] = 'x';
        d.bytes()[1] = 'y';

        assertThat(d.bytes()).isEqualTo("{\"settings\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(d).isEqualTo(InlineDocument.of("{\"settings\":{}}"));
        assertThat(d.size()).isEqualTo(15);
        assertThat(d.toString()).isEqualTo("InlineDocument[15 bytes]");
    }

    @Test
    void aDocumentAtTheLargestInlineLimitStillFitsKafkasDefaultMessageSize() {
        byte[] big = new byte[ConfigChangePublisher.MAX_INLINE_MAX_BYTES];
        Arrays.fill(big, (byte) 'a');
        ConfigChange c =
                new ConfigChange(
                        Target.zone("z1", "a1", "example.com", Plan.PRO),
                        9,
                        List.of("dns_records"),
                        Instant.parse("2026-12-03T17:00:00Z"),
                        InlineDocument.of(big));

        byte[] bytes = codec.encode(c);

        assertThat(bytes.length).isLessThan(1024 * 1024 - 64 * 1024);
        assertThat(codec.decode(bytes)).isEqualTo(c);
    }

    @Test
    void anInlineLimitThatWouldNotFitIsRefusedNamingTheRange() {
        assertThat(ConfigChangePublisher.checkInlineMaxBytes(0)).isZero();
        assertThat(ConfigChangePublisher.checkInlineMaxBytes(786_432)).isEqualTo(786_432);
        assertThatThrownBy(() -> ConfigChangePublisher.checkInlineMaxBytes(1024 * 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 (never inline) to 786432 bytes")
                .hasMessageContaining("got 1048576");
        assertThatThrownBy(() -> ConfigChangePublisher.checkInlineMaxBytes(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
