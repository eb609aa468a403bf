package dev.vigil.events;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Avro single-object encoding of {@link ConfigChange}, with every shipped schema version readable
 * (see {@link ScanRequestCodec}): v1 (no document; decoded with {@link ConfigChange#document()}
 * null) and v2, the writer (the document inline when the publisher put it there). Thread-safe.
 */
public final class ConfigChangeCodec {
    private final Schema writer;
    private final BinaryMessageEncoder<GenericRecord> encoder;
    private final BinaryMessageDecoder<GenericRecord> decoder;

    private ConfigChangeCodec(List<Schema> versions) {
        this.writer = versions.getLast();
        this.encoder = new BinaryMessageEncoder<>(GenericData.get(), writer);
        this.decoder = new BinaryMessageDecoder<>(GenericData.get(), writer);
        for (Schema s : versions) {
            decoder.addSchema(s);
        }
    }

    /** The codec for every shipped version of the config-change schema. */
    public static ConfigChangeCodec create() {
        return new ConfigChangeCodec(ScanRequestCodec.Schemas.versions("ConfigChange"));
    }

    public byte[] encode(ConfigChange c) {
        Target t = c.target();
        GenericRecord g = new GenericData.Record(writer);
        g.put("target_id", t.targetId());
        g.put("kind", symbol("kind", t.kind().name()));
        g.put("account_id", t.accountId());
        g.put("zone_id", t.zoneId());
        g.put("name", t.name());
        g.put("plan", symbol("plan", t.plan().name()));
        g.put("version", c.version());
        g.put("changed_sections", c.changedSections());
        g.put("received_at_micros", ChronoUnit.MICROS.between(Instant.EPOCH, c.receivedAt()));
        InlineDocument doc = c.document();
        g.put("document", doc == null ? null : ByteBuffer.wrap(doc.shared()));
        try {
            return encoder.encode(g).array();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "encoding config change " + t.targetId() + " v" + c.version(), e);
        }
    }

    /**
     * Decodes a message written with any shipped schema version.
     *
     * @throws UndecodableMessageException when the bytes are not a config change
     */
    public ConfigChange decode(byte[] bytes) {
        try {
            GenericRecord g = decoder.decode(bytes);
            List<String> sections = new ArrayList<>();
            for (Object o : (List<?>) Objects.requireNonNull(g.get("changed_sections"))) {
                sections.add(o.toString());
            }
            Object zone = g.get("zone_id");
            long micros = (Long) Objects.requireNonNull(g.get("received_at_micros"));
            Target target =
                    new Target(
                            str(g, "target_id"),
                            TargetKind.valueOf(str(g, "kind")),
                            str(g, "account_id"),
                            zone == null ? null : zone.toString(),
                            str(g, "name"),
                            Plan.valueOf(str(g, "plan")));
            return new ConfigChange(
                    target,
                    (Long) Objects.requireNonNull(g.get("version"), "version"),
                    sections,
                    Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                    document(g.get("document")));
        } catch (IOException | RuntimeException e) {
            throw new UndecodableMessageException(
                    "not a config change (" + bytes.length + " bytes): " + e, e);
        }
    }

    /** The inline document of a decoded record: absent in v1 (the reader's default, null). */
    private static @Nullable InlineDocument document(@Nullable Object field) {
        if (field == null) {
            return null;
        }
        ByteBuffer b = ((ByteBuffer) field).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return InlineDocument.owning(out);
    }

    private GenericData.EnumSymbol symbol(String field, String value) {
        return new GenericData.EnumSymbol(writer.getField(field).schema(), value);
    }

    private static String str(GenericRecord g, String field) {
        return Objects.requireNonNull(g.get(field), field).toString();
    }
}
