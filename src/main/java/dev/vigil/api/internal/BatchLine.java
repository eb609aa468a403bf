package dev.vigil.api.internal;

import dev.vigil.snapshots.SnapshotPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * One line of a batch push, read strictly: {@code {"target_id": "z1", "version": 7,
 * "changed_sections": ["dns_records"], "document": {...}}}, where {@code version} and {@code
 * changed_sections} are optional and mean what the single push's query parameters mean. A line that
 * is not acceptable is refused with a 400 naming the line, the field and the rule.
 *
 * @param number the line's number in the body
 * @param text the document, one JSON object, written compactly: what is stored
 * @param digests the document's section fingerprints ({@link SnapshotPush#digests})
 */
record BatchLine(
        int number,
        String targetId,
        @Nullable Long version,
        @Nullable List<String> changedSections,
        String text,
        Map<String, String> digests) {

    private static final Set<String> FIELDS =
            Set.of("target_id", "version", "changed_sections", "document");

    /** Reads line {@code line} of {@code body}; 400 naming what is wrong. */
    static BatchLine read(BatchBody body, BatchBody.Line line) {
        return read(body.bytes(), line.offset(), line.length(), line.number());
    }

    /** Reads line {@code number}, {@code raw[off, off + len)}; 400 naming what is wrong. */
    static BatchLine read(byte[] raw, int off, int len, int number) {
        BatchLine streamed = streamed(raw, off, len, number);
        return streamed != null ? streamed : checked(raw, off, len, number);
    }

    /**
     * {@link #read} with a tree of the whole line: each rule checked in turn, the first broken
     * named.
     */
    static BatchLine checked(byte[] raw, int off, int len, int number) {
        String subject = "line " + number + " of the batch";
        JsonNode node = PushedJson.object(raw, off, len, subject, "body");
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        subject
                                + " has an unknown field '"
                                + name
                                + "' (expected target_id, version, changed_sections, document)");
            }
        }
        JsonNode id = node.get("target_id");
        if (id == null || !id.isString() || id.asString().isBlank()) {
            throw ApiProblem.badRequest(
                    "target_id", subject + " needs target_id, the account or zone id (a string)");
        }
        JsonNode doc = node.get("document");
        if (doc == null || !doc.isObject()) {
            throw ApiProblem.badRequest(
                    "document", subject + " needs document, the configuration (one JSON object)");
        }
        PushedJson.Streamed stored = PushedJson.Streamed.of(doc);
        return new BatchLine(
                number,
                id.asString(),
                version(node.get("version"), subject),
                sections(node.get("changed_sections"), subject),
                stored.text(),
                stored.digests());
    }

    /**
     * The line read in one pass with no tree of its document ({@link PushedJson#streamed}), when it
     * is acceptable as it stands; else null, and {@link #read} reads it again {@link #checked},
     * which refuses it naming what is wrong (or accepts it: a {@code 0.0} the one pass doubts). An
     * acceptable line takes this path unless its document holds a zero float.
     */
    static @Nullable BatchLine streamed(byte[] raw, int off, int len, int number) {
        try (JsonParser p = PushedJson.parser(raw, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            Long version = null;
            List<String> sections = null;
            PushedJson.Streamed doc = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.PROPERTY_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "target_id" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        id = p.getString();
                    }
                    case "version" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT
                                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                && p.getLongValue() >= 1) {
                            version = p.getLongValue();
                        } else if (v != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "changed_sections" -> {
                        if (v == JsonToken.START_ARRAY) {
                            sections = new ArrayList<>();
                            for (JsonToken s = p.nextToken();
                                    s != JsonToken.END_ARRAY;
                                    s = p.nextToken()) {
                                if (s != JsonToken.VALUE_STRING) {
                                    return null;
                                }
                                sections.add(p.getString());
                            }
                        } else if (v != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "document" -> {
                        if (v != JsonToken.START_OBJECT) {
                            return null;
                        }
                        doc = PushedJson.streamed(p);
                        if (doc == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (p.nextToken() != null
                    || id == null
                    || id.isBlank()
                    || PushedJson.loneSurrogate(id) >= 0
                    || doc == null) {
                return null;
            }
            if (sections != null) {
                for (String s : sections) {
                    if (s.isBlank() || PushedJson.loneSurrogate(s) >= 0) {
                        return null;
                    }
                }
                if (sections.isEmpty()) {
                    return null;
                }
                sections = sections.stream().map(String::strip).distinct().sorted().toList();
            }
            return new BatchLine(number, id, version, sections, doc.text(), doc.digests());
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable Long version(@Nullable JsonNode v, String subject) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 1) {
            return v.asLong();
        }
        throw ApiProblem.badRequest(
                "version", subject + ": version must be an integer >= 1, got " + v);
    }

    private static @Nullable List<String> sections(@Nullable JsonNode v, String subject) {
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode s : v) {
                if (!s.isString() || s.asString().isBlank()) {
                    out = null;
                    break;
                }
                out.add(s.asString().strip());
            }
        } else {
            out = null;
        }
        if (out == null || out.isEmpty()) {
            throw ApiProblem.badRequest(
                    "changed_sections",
                    subject
                            + ": changed_sections must be an array of at least one section name,"
                            + " or be left out to have the API compute them; got "
                            + v);
        }
        return out.stream().distinct().sorted().toList();
    }
}
