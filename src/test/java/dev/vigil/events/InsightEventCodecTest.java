package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

class InsightEventCodecTest {
    private final InsightEventCodec codec = InsightEventCodec.create();

    private static InsightEvent classified() {
        return new InsightEvent(
                UUID.randomUUID(),
                InsightEventKind.CLASSIFIED,
                "acc1",
                "zone1",
                42,
                "tls.min_version",
                "zone",
                "high",
                "accept_risk",
                "alice",
                null,
                Instant.parse("2026-12-04T03:00:00.123456Z"),
                Instant.parse("2026-12-04T03:00:01Z"));
    }

    @Test
    void anEventSurvivesARoundTripKeyedByItsInsight() {
        InsightEvent e = classified();

        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
        assertThat(e.key()).isEqualTo("acc1:42");
    }

    @Test
    void anAccountInsightsOpeningByAScanSurvivesARoundTrip() {
        InsightEvent e =
                new InsightEvent(
                        UUID.randomUUID(),
                        InsightEventKind.OPENED,
                        "acc1",
                        null,
                        7,
                        "account.mfa",
                        "member:bob",
                        "critical",
                        null,
                        "system",
                        UUID.randomUUID(),
                        Instant.parse("2026-12-01T00:00:00Z"),
                        Instant.parse("2026-12-04T03:00:00Z"));

        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }

    @Test
    void theConfluentFramingIsAZeroByteTheSchemaIdAndThePlainBinaryRecord() throws Exception {
        InsightEvent e = classified();

        byte[] bytes = codec.encode(e, new EventFraming.Confluent(513));

        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(513);
        byte[] body = Arrays.copyOfRange(bytes, 5, bytes.length);
        GenericRecord g =
                new GenericDatumReader<GenericRecord>(codec.writerSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(body, null));
        assertThat(g.get("event_id").toString()).isEqualTo(e.eventId().toString());
        assertThat(g.get("kind").toString()).isEqualTo("classified");
        assertThat(g.get("classification").toString()).isEqualTo("accept_risk");
    }

    @Test
    void aConfigChangeIsNotAnInsightEvent() {
        byte[] other =
                ConfigChangeCodec.create()
                        .encode(
                                new ConfigChange(
                                        Target.zone("z1", "a1", "example.com", Plan.PRO),
                                        1,
                                        List.of(),
                                        Instant.parse("2026-12-04T03:00:00Z")));

        assertThatThrownBy(() -> codec.decode(other))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("not an insight event");
    }

    @Test
    void settingsDefaultToOnAndSingleObjectAndRefuseAnUnknownFraming() {
        InsightEventSettings d = InsightEventSettings.from(Env.of(Map.of()));

        assertThat(d.enabled()).isTrue();
        assertThat(d.batchSize()).isEqualTo(InsightEventSettings.DEFAULT_BATCH_SIZE);
        assertThat(d.framing()).isEqualTo(new EventFraming.SingleObject());
        assertThat(
                        InsightEventSettings.from(
                                        Env.of(
                                                Map.of(
                                                        "VIGIL_INSIGHT_EVENTS", "off",
                                                        "VIGIL_INSIGHT_EVENTS_FRAMING",
                                                                "confluent:7")))
                                .framing())
                .isEqualTo(new EventFraming.Confluent(7));
        assertThatThrownBy(
                        () ->
                                InsightEventSettings.from(
                                        Env.of(Map.of("VIGIL_INSIGHT_EVENTS_FRAMING", "json"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_INSIGHT_EVENTS_FRAMING");
    }
}
