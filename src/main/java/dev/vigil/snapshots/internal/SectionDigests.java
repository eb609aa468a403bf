package dev.vigil.snapshots.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BYTES = 16;

    private SectionDigests() {}

    /** The fingerprints of {@code document}'s sections, by section (markers prefixed). */
    public static Map<String, String> of(JsonNode document) {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = sha256();
        Encoding enc = new Encoding();
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

    private static String digest(MessageDigest sha, Encoding e, JsonNode value) {
        e.len = 0;
        e.feed(value);
        sha.reset();
        sha.update(e.buf, 0, e.len);
        byte[] full = sha.digest();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, BYTES));
    }

    /**
     * A section's canonical encoding, gathered in one buffer and handed to the digest in one call:
     * fed byte by byte (four calls per length), the digest's per-call overhead was the largest
     * share of the batch push route's fingerprinting (JFR, `bench changes`, 2026-12-04 20:40 UTC).
     * The bytes are the same, so stored fingerprints stay comparable with new ones. One buffer
     * serves a document's sections in turn. Not a {@code ByteArrayOutputStream}: its writes are
     * synchronized, one lock per byte here.
     */
    private static final class Encoding {
        byte[] buf = new byte[1024];
        int len;

        void feed(JsonNode n) {
            switch (n.getNodeType()) {
                case OBJECT -> {
                    // keys in String order (what a TreeMap gave before, so the bytes are the
                    // same), by sorting an array: a TreeMap per object was nearly half of the
                    // fingerprinting's samples (JFR, `bench changes`, 2026-12-05)
                    @SuppressWarnings("unchecked")
                    Map.Entry<String, JsonNode>[] sorted = n.properties().toArray(new Map.Entry[0]);
                    Arrays.sort(sorted, Map.Entry.comparingByKey());
                    put((byte) 'o');
                    length(sorted.length);
                    for (Map.Entry<String, JsonNode> e : sorted) {
                        text(e.getKey());
                        feed(e.getValue());
                    }
                }
                case ARRAY -> {
                    put((byte) 'a');
                    length(n.size());
                    for (JsonNode item : n) {
                        feed(item);
                    }
                }
                case STRING -> {
                    put((byte) 's');
                    text(n.asString());
                }
                case NUMBER -> {
                    // the node's class as well as its text: equals tells an int from a long
                    put((byte) 'n');
                    text(n.getClass().getSimpleName());
                    text(n.asString());
                }
                case BOOLEAN -> put(n.asBoolean() ? (byte) 'T' : (byte) 'F');
                case NULL -> put((byte) 'z');
                default -> {
                    // binary, POJO, missing: not produced by parsing JSON text; their text form
                    put((byte) '?');
                    text(n.toString());
                }
            }
        }

        private void text(String s) {
            // ASCII, nearly every key and value: its UTF-8 bytes are its chars, written in place
            int n = s.length();
            room(4 + n);
            int at = len + 4;
            int i = 0;
            while (i < n && s.charAt(i) < 0x80) {
                buf[at + i] = (byte) s.charAt(i);
                i++;
            }
            if (i == n) {
                length(n);
                len += n;
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            length(b.length);
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void length(int n) {
            room(4);
            buf[len++] = (byte) (n >>> 24);
            buf[len++] = (byte) (n >>> 16);
            buf[len++] = (byte) (n >>> 8);
            buf[len++] = (byte) n;
        }

        private void put(byte b) {
            room(1);
            buf[len++] = b;
        }

        private void room(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
