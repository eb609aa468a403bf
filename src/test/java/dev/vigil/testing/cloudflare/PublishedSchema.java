package dev.vigil.testing.cloudflare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads Cloudflare's published OpenAPI document (the shared reference copy, never the repository)
 * and compares the project's own JSON Schemas with it: every property our schema declares must
 * exist, with a compatible JSON type, in the published response. {@code $ref} is followed and
 * {@code allOf}, {@code oneOf} and {@code anyOf} are merged (a property of any branch counts), as
 * the API answers one branch or another.
 */
final class PublishedSchema {

    /** The reference copy, relative to the project root (a symlink from each worktree). */
    static final Path LOCATION = Path.of("../shared/reference/cloudflare-api/openapi-subset.json");

    /** The merged view of one published schema node. Empty {@code types}: any type. */
    record Shape(Set<String> types, Map<String, List<JsonNode>> properties, List<JsonNode> items) {
        boolean undescribedObject() {
            return properties.isEmpty() && (types.isEmpty() || types.contains("object"));
        }
    }

    private final JsonNode doc;

    private PublishedSchema(JsonNode doc) {
        this.doc = doc;
    }

    static PublishedSchema load() {
        return new PublishedSchema(FixtureJson.read(LOCATION, java.time.Instant.EPOCH));
    }

    /** The whole 200 answer of {@code GET path}. */
    List<JsonNode> response(String path) {
        JsonNode op = doc.path("paths").path(path).path("get");
        if (op.isMissingNode()) {
            throw new IllegalArgumentException("the published schema has no GET " + path);
        }
        JsonNode r = resolve(op.path("responses").path("200"));
        return List.of(r.path("content").path("application/json").path("schema"));
    }

    /** The {@code result} of the 200 answer of {@code GET path}, or its items when {@code list}. */
    List<JsonNode> result(String path, boolean list) {
        List<JsonNode> result =
                shape(response(path)).properties().getOrDefault("result", List.of());
        return list ? shape(result).items() : result;
    }

    Shape shape(List<JsonNode> nodes) {
        Shape s = new Shape(new HashSet<>(), new LinkedHashMap<>(), new ArrayList<>());
        nodes.forEach(n -> merge(n, s, 0));
        return s;
    }

    /**
     * Compares our schema node (inside {@code ourRoot}, for local refs) with the published nodes;
     * adds a {@code where} line per declared property the published schema lacks or types
     * differently, and one {@code where (undescribed upstream)} line where the published schema
     * leaves an object without properties.
     */
    void compare(
            JsonNode ours,
            JsonNode ourRoot,
            List<JsonNode> published,
            String where,
            List<String> out) {
        JsonNode o = local(ours, ourRoot);
        for (String k : List.of("oneOf", "anyOf", "allOf")) {
            o.path(k).forEach(b -> compare(b, ourRoot, published, where, out));
        }
        Shape p = shape(published);
        Set<String> types = types(o);
        if (!p.types().isEmpty() && !types.isEmpty() && !compatible(types, p.types())) {
            out.add(where + " (type " + types + " vs published " + p.types() + ")");
            return;
        }
        JsonNode props = o.path("properties");
        if (!props.isEmpty() && p.undescribedObject()) {
            out.add(where + " (undescribed upstream)");
            return;
        }
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            List<JsonNode> theirs = p.properties().get(e.getKey());
            if (theirs == null) {
                out.add(where + "." + e.getKey());
            } else {
                compare(e.getValue(), ourRoot, theirs, where + "." + e.getKey(), out);
            }
        }
        if (o.has("items")) {
            compare(o.get("items"), ourRoot, p.items(), where + "[]", out);
        }
    }

    private static boolean compatible(Set<String> ours, Set<String> theirs) {
        for (String t : ours) {
            if (theirs.contains(t)
                    || (t.equals("integer") && theirs.contains("number"))
                    || (t.equals("number") && theirs.contains("integer"))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> types(JsonNode n) {
        Set<String> out = new HashSet<>();
        JsonNode t = n.path("type");
        if (t.isString()) {
            out.add(t.asString());
        } else {
            t.forEach(x -> out.add(x.asString()));
        }
        return out;
    }

    private void merge(JsonNode node, Shape into, int depth) {
        if (depth > 64) {
            throw new IllegalStateException("the published schema nests deeper than 64 refs");
        }
        JsonNode n = resolve(node);
        for (String k : List.of("allOf", "oneOf", "anyOf")) {
            n.path(k).forEach(b -> merge(b, into, depth + 1));
        }
        into.types().addAll(types(n));
        if (n.path("nullable").asBoolean(false)) {
            into.types().add("null");
        }
        for (Map.Entry<String, JsonNode> e : n.path("properties").properties()) {
            into.properties().computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue());
        }
        if (n.has("items")) {
            into.items().add(n.get("items"));
        }
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; n.has("$ref"); i++) {
            if (i > 64) {
                throw new IllegalStateException("$ref cycle at " + node);
            }
            n = pointer(doc, n.get("$ref").asString());
        }
        return n;
    }

    private static JsonNode local(JsonNode node, JsonNode root) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = pointer(root, n.get("$ref").asString());
        }
        return n;
    }

    private static JsonNode pointer(JsonNode root, String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local $ref is supported, got " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("$ref " + ref + " points nowhere");
        }
        return target;
    }
}
