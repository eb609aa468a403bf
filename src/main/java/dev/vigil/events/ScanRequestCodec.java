package dev.vigil.events;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Avro single-object encoding of {@link ScanRequest}: every message starts with the fingerprint of
 * the schema that wrote it, and every schema version ever used ships in the jar ({@code
 * avro/index.txt}), so no schema-registry server is needed and old messages stay readable.
 *
 * <p>A first attempt is written with the oldest schema (v1), byte for byte as before the attempt
 * existed, so a reader that knows only v1 (a worker not yet upgraded) reads every scheduled,
 * on-demand and change scan; only a re-published scan (attempt 2 or more) is written with the
 * newest schema. A v1 message decodes as attempt 1.
 *
 * <p>Thread-safe: Avro's message encoder and decoder are.
 */
public final class ScanRequestCodec {
    private final Schema writer;
    private final Schema first;
    private final BinaryMessageEncoder<GenericRecord> encoder;
    private final BinaryMessageEncoder<GenericRecord> firstEncoder;
    private final BinaryMessageDecoder<GenericRecord> decoder;

    private ScanRequestCodec(List<Schema> versions) {
        this.writer = versions.getLast();
        this.first = versions.getFirst();
        this.encoder = new BinaryMessageEncoder<>(GenericData.get(), writer);
        this.firstEncoder = new BinaryMessageEncoder<>(GenericData.get(), first);
        this.decoder = new BinaryMessageDecoder<>(GenericData.get(), writer);
        for (Schema s : versions) {
            decoder.addSchema(s);
        }
    }

    /** The codec for every shipped version of the scan-request schema. */
    public static ScanRequestCodec create() {
        return new ScanRequestCodec(Schemas.versions("ScanRequest"));
    }

    /** The schema re-published scans (attempt 2 or more) are written with: the newest. */
    public Schema writerSchema() {
        return writer;
    }

    public byte[] encode(ScanRequest r) {
        boolean firstAttempt = r.attempt() == 1;
        Schema schema = firstAttempt ? first : writer;
        GenericRecord g = new GenericData.Record(schema);
        g.put("scan_id", r.scanId().toString());
        g.put("target_id", r.targetId());
        g.put("kind", symbol(schema, "kind", r.kind().name()));
        g.put("account_id", r.accountId());
        g.put("zone_id", r.zoneId());
        g.put("name", r.name());
        g.put("plan", symbol(schema, "plan", r.plan().name()));
        g.put("lane", symbol(schema, "lane", r.lane().name()));
        g.put("reason", symbol(schema, "reason", r.reason().name()));
        g.put("requested_at_micros", ChronoUnit.MICROS.between(Instant.EPOCH, r.requestedAt()));
        g.put("changed_sections", r.changedSections());
        if (!firstAttempt) {
            g.put("attempt", r.attempt());
        }
        try {
            return (firstAttempt ? firstEncoder : encoder).encode(g).array();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding scan request " + r.scanId(), e);
        }
    }

    /**
     * Decodes a message written with any shipped schema version.
     *
     * @throws UndecodableMessageException when the bytes are not a scan request
     */
    public ScanRequest decode(byte[] bytes) {
        try {
            GenericRecord g = decoder.decode(bytes);
            List<String> sections = new ArrayList<>();
            for (Object o : (List<?>) Objects.requireNonNull(g.get("changed_sections"))) {
                sections.add(o.toString());
            }
            Object zone = g.get("zone_id");
            long micros = (Long) Objects.requireNonNull(g.get("requested_at_micros"));
            // the decoder resolves every version to the newest: a v1 message reads the default, 1
            int attempt = (Integer) Objects.requireNonNull(g.get("attempt"));
            return new ScanRequest(
                    UUID.fromString(str(g, "scan_id")),
                    str(g, "target_id"),
                    TargetKind.valueOf(str(g, "kind")),
                    str(g, "account_id"),
                    zone == null ? null : zone.toString(),
                    str(g, "name"),
                    Plan.valueOf(str(g, "plan")),
                    Lane.valueOf(str(g, "lane")),
                    ScanReason.valueOf(str(g, "reason")),
                    Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                    sections,
                    attempt);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableMessageException(
                    "not a scan request ("
                            + bytes.length
                            + " bytes, starting "
                            + preview(bytes)
                            + "): "
                            + e,
                    e);
        }
    }

    private static GenericData.EnumSymbol symbol(Schema schema, String field, String value) {
        return new GenericData.EnumSymbol(schema.getField(field).schema(), value);
    }

    private static String str(GenericRecord g, String field) {
        return Objects.requireNonNull(g.get(field), field).toString();
    }

    private static String preview(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i]));
        }
        return sb.toString();
    }

    /** Loads the shipped schema versions of one record name, oldest first. */
    static final class Schemas {
        private Schemas() {}

        static List<Schema> versions(String recordName) {
            List<Schema> out = new ArrayList<>();
            for (String file : index()) {
                Schema s = parse("avro/" + file);
                if (s.getName().equals(recordName)) {
                    out.add(s);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException(
                        "no schema named " + recordName + " in avro/index.txt");
            }
            return out;
        }

        static List<String> index() {
            String text = resource("avro/index.txt");
            return text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }

        static Schema parse(String path) {
            return new Schema.Parser().parse(resource(path));
        }

        private static String resource(String path) {
            try (InputStream in =
                    ScanRequestCodec.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(path + " is missing from the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(path, e);
            }
        }
    }
}
