package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

/** The attempt (schema v2) without breaking the readers and messages of v1. */
class ScanRequestAttemptTest {
    private final ScanRequestCodec codec = ScanRequestCodec.create();
    private final Target zone = Target.zone("z1", "a1", "z1.example", Plan.PRO);
    private final Instant at = Instant.parse("2026-12-03T10:00:00Z");

    private static BinaryMessageDecoder<GenericRecord> v1Reader() {
        Schema v1 = ScanRequestCodec.Schemas.parse("avro/scan-request-v1.avsc");
        return new BinaryMessageDecoder<>(GenericData.get(), v1);
    }

    @Test
    void aFirstAttemptIsWrittenAsV1SoAReaderThatKnowsOnlyV1ReadsIt() throws Exception {
        byte[] bytes = codec.encode(ScanRequest.of(zone, Lane.FAST, ScanReason.SCHEDULED, at));

        GenericRecord old = v1Reader().decode(bytes);
        assertThat(old.get("target_id").toString()).isEqualTo("z1");
        assertThat(codec.decode(bytes).attempt()).isEqualTo(1);
    }

    @Test
    void aRepublishedScanKeepsItsAttemptThroughTheCodec() {
        ScanRequest retry = ScanRequest.retry(zone, Lane.SLOW, at, 2);

        ScanRequest back = codec.decode(codec.encode(retry));
        assertThat(back).isEqualTo(retry);
        assertThat(back.attempt()).isEqualTo(2);
        assertThat(back.inLane(Lane.FAST).attempt())
                .as("a hand-off keeps the attempt")
                .isEqualTo(2);
    }

    @Test
    void theNewestSchemaIsV2WithTheAttemptDefaultingToOne() {
        Schema.Field attempt = codec.writerSchema().getField("attempt");
        assertThat(attempt).isNotNull();
        assertThat(attempt.defaultVal()).isEqualTo(1);
    }
}
