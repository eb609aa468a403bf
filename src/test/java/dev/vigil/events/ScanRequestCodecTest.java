package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class ScanRequestCodecTest {
    private final ScanRequestCodec codec = ScanRequestCodec.create();

    @Test
    void zoneRequestSurvivesARoundTrip() {
        ScanRequest r =
                ScanRequest.of(
                        Target.zone("z1", "a1", "example.com", Plan.PRO),
                        Lane.SLOW,
                        ScanReason.CONFIG_CHANGE,
                        Instant.parse("2026-11-25T10:15:30.123456Z"));
        ScanRequest withSections =
                new ScanRequest(
                        r.scanId(),
                        r.targetId(),
                        r.kind(),
                        r.accountId(),
                        r.zoneId(),
                        r.name(),
                        r.plan(),
                        r.lane(),
                        r.reason(),
                        r.requestedAt(),
                        List.of("settings", "dns_records"));
        assertThat(codec.decode(codec.encode(withSections))).isEqualTo(withSections);
    }

    @Test
    void accountRequestKeepsItsMissingZone() {
        ScanRequest r =
                ScanRequest.of(
                        Target.account("a1", "Acme", Plan.ENTERPRISE),
                        Lane.FAST,
                        ScanReason.SCHEDULED,
                        Instant.EPOCH);
        assertThat(codec.decode(codec.encode(r)).zoneId()).isNull();
    }

    @Test
    void everyMessageCarriesTheSchemaFingerprint() {
        byte[] bytes =
                codec.encode(
                        ScanRequest.of(
                                Target.account("a1", "Acme", Plan.FREE),
                                Lane.FAST,
                                ScanReason.SCHEDULED,
                                Instant.EPOCH));
        // single-object encoding: marker C3 01, then the 8-byte CRC-64-AVRO fingerprint
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void garbageIsUndecodableWithItsSizeInTheMessage() {
        assertThatThrownBy(() -> codec.decode("{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("not a scan request (13 bytes");
    }

    @Test
    void theNewestSchemaReadsEveryShippedVersion() {
        List<Schema> versions = ScanRequestCodec.Schemas.versions("ScanRequest");
        Schema newest = versions.getLast();
        for (Schema old : versions) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(newest, old).getType())
                    .as("reading %s with the newest schema", old)
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }
}
