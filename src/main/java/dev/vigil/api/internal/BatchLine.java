package dev.vigil.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One line of a batch push, read strictly: {@code {"target_id": "z1", "version": 7,
 * "changed_sections": ["dns_records"], "document": {...}}}, where {@code version} and {@code
 * changed_sections} are optional and mean what the single push's query parameters mean. A line that
 * is not acceptable is refused with a 400 naming the line, the field and the rule.
 *
 * @param number the line's number in the body
 * @param document the document, one JSON object
 * @param text {@code document} written compactly: what is stored
 */
record BatchLine(
        int number,
        String targetId,
        @Nullable Long version,
        @Nullable List<String> changedSections,
        JsonNode document,
        String text) {

    private static final Set<String> FIELDS =
            Set.of("target_id", "version", "changed_sections", "document");

    /** Reads line {@code line} of {@code body}; 400 naming what is wrong. */
    static BatchLine read(BatchBody body, BatchBody.Line line) {
        String subject = "line " + line.number() + " of the batch";
        JsonNode node =
                PushedJson.object(body.bytes(), line.offset(), line.length(), subject, "body");
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
        return new BatchLine(
                line.number(),
                id.asString(),
                version(node.get("version"), subject),
                sections(node.get("changed_sections"), subject),
                doc,
                Json.MAPPER.writeValueAsString(doc));
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
