package dev.vigil.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Avro encoding of {@link InsightEvent} (schema {@code insight-event-v1.avsc}): single-object
 * encoding, the framing of the other topics (see {@link ScanRequestCodec}), or the Confluent wire
 * format for stores that read that ({@link EventFraming}). Thread-safe.
 */
public final class InsightEventCodec {
    private final Schema writer;
    private final BinaryMessageEncoder<GenericRecord> encoder;
    private final BinaryMessageDecoder<GenericRecord> decoder;

    private InsightEventCodec(List<Schema> versions) {
        this.writer = versions.getLast();
        this.encoder = new BinaryMessageEncoder<>(GenericData.get(), writer);
        this.decoder = new BinaryMessageDecoder<>(GenericData.get(), writer);
        for (Schema s : versions) {
            decoder.addSchema(s);
        }
    }

    /** The codec for every shipped version of the insight-event schema. */
    public static InsightEventCodec create() {
        return new InsightEventCodec(ScanRequestCodec.Schemas.versions("InsightEvent"));
    }

    /** The schema events are written with. */
    public Schema writerSchema() {
        return writer;
    }

    /** {@code e} in Avro single-object encoding. */
    public byte[] encode(InsightEvent e) {
        return encode(e, new EventFraming.SingleObject());
    }

    /** {@code e} framed as {@code framing} says. */
    public byte[] encode(InsightEvent e, EventFraming framing) {
        GenericRecord g = record(e);
        try {
            return switch (framing) {
                case EventFraming.SingleObject _ -> encoder.encode(g).array();
                case EventFraming.Confluent c -> confluent(g, c.schemaId());
            };
        } catch (IOException x) {
            throw new UncheckedIOException("encoding insight event " + e.eventId(), x);
        }
    }

    private byte[] confluent(GenericRecord g, int schemaId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(g, enc);
        enc.flush();
        return out.toByteArray();
    }

    private GenericRecord record(InsightEvent e) {
        GenericRecord g = new GenericData.Record(writer);
        g.put("event_id", e.eventId().toString());
        g.put(
                "kind",
                new GenericData.EnumSymbol(writer.getField("kind").schema(), e.kind().wire()));
        g.put("account_id", e.accountId());
        g.put("zone_id", e.zoneId());
        g.put("insight_id", e.insightId());
        g.put("check_id", e.checkId());
        g.put("resource_key", e.resourceKey());
        g.put("severity", e.severity());
        g.put("classification", e.classification());
        g.put("actor", e.actor());
        g.put("scan_id", e.scanId() == null ? null : e.scanId().toString());
        g.put("occurred_at_micros", micros(e.occurredAt()));
        g.put("recorded_at_micros", micros(e.recordedAt()));
        return g;
    }

    /**
     * Decodes a single-object encoded message written with any shipped schema version.
     *
     * @throws UndecodableMessageException when the bytes are not an insight event
     */
    public InsightEvent decode(byte[] bytes) {
        try {
            GenericRecord g = decoder.decode(bytes);
            return new InsightEvent(
                    UUID.fromString(str(g, "event_id")),
                    InsightEventKind.fromWire(str(g, "kind")),
                    str(g, "account_id"),
                    opt(g, "zone_id"),
                    (Long) Objects.requireNonNull(g.get("insight_id"), "insight_id"),
                    str(g, "check_id"),
                    str(g, "resource_key"),
                    str(g, "severity"),
                    opt(g, "classification"),
                    str(g, "actor"),
                    uuid(opt(g, "scan_id")),
                    instant(g, "occurred_at_micros"),
                    instant(g, "recorded_at_micros"));
        } catch (IOException | RuntimeException e) {
            throw new UndecodableMessageException(
                    "not an insight event (" + bytes.length + " bytes): " + e, e);
        }
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(GenericRecord g, String field) {
        long micros = (Long) Objects.requireNonNull(g.get(field), field);
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static @Nullable UUID uuid(@Nullable String s) {
        return s == null ? null : UUID.fromString(s);
    }

    private static String str(GenericRecord g, String field) {
        return Objects.requireNonNull(g.get(field), field).toString();
    }

    private static @Nullable String opt(GenericRecord g, String field) {
        Object o = g.get(field);
        return o == null ? null : o.toString();
    }
}
