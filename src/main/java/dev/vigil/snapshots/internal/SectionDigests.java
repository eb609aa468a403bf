package dev.vigil.snapshots.internal;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fingerprint of each section of a configuration document, stored beside the version ({@code
 * config_snapshots.section_digests}), so that the next push finds its changed sections by comparing
 * fingerprints instead of reading the previous document back and diffing the two trees (issue 20:
 * the read-back was the largest share of a push's database time).
 *
 * <p>The sections are those of {@link ConfigDiff}: each top-level key, and each permission marker
 * of {@code _errors} under its own name ({@value #MARKER} + section), since a marker appearing or
 * disappearing changes the section it names. A fingerprint is SHA-256 (first 128 bits) of a
 * canonical encoding of the section's value: type-tagged, length-prefixed, object keys sorted, so
 * two values {@link JsonNode#equals equal} as trees always have one fingerprint (key order does not
 * count), and two values with one fingerprint are equal but for a hash collision. Where the
 * encoding tells apart what {@code equals} does not (a number written two ways), a section is
 * reported changed: its checks run once more, never fewer.
 *
 * <p>Thread-safe: stateless.
 */
public final class SectionDigests {

    /** The prefix of a permission marker's entry. */
    static final String MARKER = ConfigDiff.ERRORS + "/";

    // the type tags of the canonical encoding (CanonicalBytes); StreamedDigests writes the same
    static final byte OBJECT = 'o';
    static final byte ARRAY = 'a';
    static final byte STRING = 's';
    static final byte NUMBER = 'n';
    static final byte TRUE = 'T';
    static final byte FALSE = 'F';
    static final byte NULL = 'z';

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SectionDigests() {}

    /** The fingerprints of {@code document}'s sections, by section (markers prefixed). */
    public static Map<String, String> of(JsonNode document) {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = CanonicalBytes.sha256();
        CanonicalBytes enc = new CanonicalBytes();
        for (Map.Entry<String, JsonNode> e : document.properties()) {
            if (!e.getKey().equals(ConfigDiff.ERRORS)) {
                out.put(e.getKey(), digest(sha, enc, e.getValue()));
            } else if (e.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
                    out.put(MARKER + m.getKey(), digest(sha, enc, m.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * The sections whose fingerprints differ between two versions (one that only one has included),
     * sorted: what {@link ConfigDiff#changedSections} answers for the two documents.
     */
    public static List<String> changed(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        TreeSet<String> out = new TreeSet<>();
        for (String k : keys) {
            if (!Objects.equals(before.get(k), after.get(k))) {
                out.add(k.startsWith(MARKER) ? k.substring(MARKER.length()) : k);
            }
        }
        return new ArrayList<>(out);
    }

    /** {@code digests} as the JSON object stored. */
    public static String toJson(Map<String, String> digests) {
        ObjectNode o = JSON.createObjectNode();
        digests.forEach(o::put);
        return JSON.writeValueAsString(o);
    }

    /** The stored JSON object back as fingerprints by section. */
    public static Map<String, String> parse(String json) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : JSON.readTree(json).properties()) {
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private static String digest(MessageDigest sha, CanonicalBytes e, JsonNode value) {
        e.len = 0;
        feed(e, value);
        return e.digest(sha);
    }

    /** Writes {@code n}'s canonical encoding to {@code e}. */
    private static void feed(CanonicalBytes e, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                // keys in String order (what a TreeMap gave before, so the bytes are the same),
                // by sorting an array: a TreeMap per object was nearly half of the
                // fingerprinting's samples (JFR, `bench changes`, 2026-12-05)
                @SuppressWarnings("unchecked")
                Map.Entry<String, JsonNode>[] sorted = n.properties().toArray(new Map.Entry[0]);
                Arrays.sort(sorted, Map.Entry.comparingByKey());
                e.put(OBJECT);
                e.length(sorted.length);
                for (Map.Entry<String, JsonNode> m : sorted) {
                    e.text(m.getKey());
                    feed(e, m.getValue());
                }
            }
            case ARRAY -> {
                e.put(ARRAY);
                e.length(n.size());
                for (JsonNode item : n) {
                    feed(e, item);
                }
            }
            case STRING -> {
                e.put(STRING);
                e.text(n.asString());
            }
            case NUMBER -> {
                // the node's class as well as its text: equals tells an int from a long
                e.put(NUMBER);
                e.text(n.getClass().getSimpleName());
                e.text(n.asString());
            }
            case BOOLEAN -> e.put(n.asBoolean() ? TRUE : FALSE);
            case NULL -> e.put(NULL);
            default -> {
                // binary, POJO, missing: not produced by parsing JSON text; their text form
                e.put((byte) '?');
                e.text(n.toString());
            }
        }
    }
}
