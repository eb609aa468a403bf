package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution of {@link ConfigChange} against real old bytes: the v1 messages under {@code
 * dev/vigil/events/config-change-v1/} were written by the v1 codec (commit bb2836b, see the README
 * there), and the newest codec must read every field of them, with no inline document (the worker
 * then fetches the version). New messages are written with v2.
 */
class ConfigChangeEvolutionTest {
    private final ConfigChangeCodec codec = ConfigChangeCodec.create();

    @Test
    void theShippedVersionsAreV1ThenV2AndV2Writes() {
        List<Schema> versions = ScanRequestCodec.Schemas.versions("ConfigChange");

        assertThat(versions).hasSize(2);
        assertThat(versions.getFirst().getField("document")).isNull();
        assertThat(versions.getLast().getField("document")).isNotNull();
        byte[] written =
                codec.encode(
                        new ConfigChange(
                                Target.account("a1", "Acme", Plan.FREE),
                                1,
                                List.of(),
                                Instant.EPOCH));
        assertThat(fingerprint(written))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(versions.getLast()));
    }

    @Test
    void aV1ZoneChangeIsReadFieldByField() {
        byte[] bytes = v1("zone-v7-two-sections.bin");
        assertThat(fingerprint(bytes))
                .isEqualTo(
                        SchemaNormalization.parsingFingerprint64(
                                ScanRequestCodec.Schemas.versions("ConfigChange").getFirst()));

        ConfigChange c = codec.decode(bytes);

        assertThat(c.target()).isEqualTo(Target.zone("z-1001", "a-77", "example.com", Plan.PRO));
        assertThat(c.target().zoneId()).isEqualTo("z-1001");
        assertThat(c.version()).isEqualTo(7);
        assertThat(c.changedSections()).containsExactly("dns_records", "settings");
        assertThat(c.receivedAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123456Z"));
        assertThat(c.document()).as("v1 carries no document: the worker fetches it").isNull();
    }

    @Test
    void aV1AccountChangeOfEverySectionIsReadFieldByField() {
        ConfigChange c = codec.decode(v1("account-v1-every-section.bin"));

        assertThat(c.target()).isEqualTo(Target.account("a-77", "Acme Corp", Plan.ENTERPRISE));
        assertThat(c.target().zoneId()).isNull();
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.changedSections()).isEmpty();
        assertThat(c.receivedAt()).isEqualTo(Instant.parse("2026-12-03T17:30:00Z"));
        assertThat(c.document()).isNull();
    }

    @Test
    void aV1ChangeWithNonAsciiNamesAndALargeVersionIsReadFieldByField() {
        ConfigChange c = codec.decode(v1("zone-v123456789-free-unicode.bin"));

        assertThat(c.target())
                .isEqualTo(Target.zone("z-\u00e9t\u00e9", "a-1", "b\u00fccher.example", Plan.FREE));
        assertThat(c.version()).isEqualTo(123_456_789L);
        assertThat(c.changedSections()).containsExactly("firewall_rules");
        assertThat(c.receivedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.000001Z"));
        assertThat(c.document()).isNull();
    }

    @Test
    void aV1MessageReEncodedIsV2AndKeepsEveryField() {
        ConfigChange old = codec.decode(v1("zone-v7-two-sections.bin"));

        byte[] again = codec.encode(old);

        assertThat(again).isNotEqualTo(v1("zone-v7-two-sections.bin"));
        assertThat(codec.decode(again)).isEqualTo(old);
    }

    @Test
    void aV2ChangeWithItsDocumentInlineRoundTripsByteForByte() {
        // exactly as stored: compact JSON, non-ASCII text as UTF-8
        String json =
                "{\"zone\":{\"name\":\"b\u00fccher.example\"},\"settings\":{\"ssl\":\"full\"}}";
        ConfigChange c =
                new ConfigChange(
                        Target.zone("z1", "a1", "b\u00fccher.example", Plan.BUSINESS),
                        42,
                        List.of("settings", "zone"),
                        Instant.parse("2026-12-03T17:40:00.5Z"),
                        InlineDocument.of(json));

        ConfigChange back = codec.decode(codec.encode(c));

        assertThat(back).isEqualTo(c);
        assertThat(Objects.requireNonNull(back.document()).bytes())
                .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aV2ChangeWithoutItsDocumentDecodesWithNone() {
        ConfigChange c =
                new ConfigChange(
                        Target.account("a1", "Acme", Plan.PRO),
                        3,
                        List.of("members"),
                        Instant.parse("2026-12-03T17:40:00Z"));

        assertThat(codec.decode(codec.encode(c)).document()).isNull();
    }

    /** The CRC-64-AVRO fingerprint after the single-object marker C3 01 (little-endian). */
    private static long fingerprint(byte[] message) {
        assertThat(Arrays.copyOf(message, 2)).containsExactly(0xC3, 0x01);
        return ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] v1(String file) {
        String path = "dev/vigil/events/config-change-v1/" + file;
        try (InputStream in =
                ConfigChangeEvolutionTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return Objects.requireNonNull(in).readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(path, e);
        }
    }
}
