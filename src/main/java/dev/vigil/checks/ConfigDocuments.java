package dev.vigil.checks;

import dev.cel.common.values.NullValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes a JSON configuration document into the plain values CEL evaluates: {@code Map<String,
 * Object>}, {@code List<Object>}, {@code String}, {@code Long} (every JSON integer; CEL rejects
 * {@code Integer}), {@code Double} and {@code Boolean}.
 *
 * <p>JSON {@code null} as an object member is dropped, so that {@code has(x.f)} is the one test a
 * rule needs for "absent or null" (e.g. a token's {@code "expires_on": null} reads as no expiry). A
 * {@code null} inside an array becomes CEL's {@code null}. Integers beyond the range of a long
 * become doubles. The returned maps and lists are unmodifiable.
 */
public final class ConfigDocuments {

    /**
     * A factory per document, so each document has a table of property names of its own (its
     * records' repeated names are still read once). A shared factory's table is shared by all its
     * parsers, and a parser copies it whole on its first name the table lacks; documents bring
     * names of their own (the {@code dns_resolution} map is keyed by host names), so the table grew
     * to the names of many documents and every decode copied it: 6.8 % of the fast worker's samples
     * with the fetch's JSON check ({@code docs/perf/2026-12-06-java-forms.md}). A new factory costs
     * a few small arrays.
     */
    private static JsonFactory json() {
        return JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
    }

    private ConfigDocuments() {}

    /**
     * Parses one document whose root must be a JSON object, with nothing after it but whitespace.
     * Reads {@code in} to its end and leaves closing it to the caller.
     *
     * @throws BrokenDocumentException when the input is not JSON, its root is not an object or
     *     something follows the object
     */
    public static Map<String, Object> parse(InputStream in) {
        try (JsonParser p = json().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new BrokenDocumentException(
                        "configuration document must be a JSON object, got " + first);
            }
            return nothingAfter(p, readObject(p));
        } catch (tools.jackson.core.JacksonException e) {
            throw new BrokenDocumentException(
                    "configuration document is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses one document from bytes; see {@link #parse(InputStream)}. */
    public static Map<String, Object> parse(byte[] json) {
        return parse(new ByteArrayInputStream(json));
    }

    /**
     * Parses only the top-level members named in {@code sections} of one document whose root must
     * be a JSON object; the others are skipped in the stream, never built (the document is still
     * checked to be well-formed JSON, with nothing after the object). A change that touched two
     * sections of a large document pays for those two.
     *
     * @throws BrokenDocumentException when the input is not JSON, its root is not an object or
     *     something follows the object
     */
    public static Map<String, Object> parse(byte[] json, Set<String> sections) {
        try (JsonParser p = json().createParser(new ByteArrayInputStream(json))) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new BrokenDocumentException(
                        "configuration document must be a JSON object, got " + first);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!sections.contains(name)) {
                    p.skipChildren();
                } else if (t != JsonToken.VALUE_NULL) {
                    map.put(name, readValue(p, t));
                }
            }
            return nothingAfter(p, Collections.unmodifiableMap(map));
        } catch (tools.jackson.core.JacksonException e) {
            throw new BrokenDocumentException(
                    "configuration document is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code doc}, once the input is known to end after it. The fetch checks only how a body
     * starts; this is where a document with something after its object is refused.
     */
    private static Map<String, Object> nothingAfter(JsonParser p, Map<String, Object> doc) {
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            var at = p.currentTokenLocation();
            throw new BrokenDocumentException(
                    "configuration document has content after its JSON object: "
                            + trailing
                            + " at line "
                            + at.getLineNr()
                            + ", column "
                            + at.getColumnNr());
        }
        return doc;
    }

    private static Map<String, Object> readObject(JsonParser p) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NULL) {
                map.put(name, readValue(p, t));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<Object> readArray(JsonParser p) {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            list.add(t == JsonToken.VALUE_NULL ? NullValue.NULL_VALUE : readValue(p, t));
        }
        return Collections.unmodifiableList(list);
    }

    /** A Long, or a Double beyond the range of long (no ternary: it would promote to double). */
    private static Object integer(JsonParser p) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return Double.valueOf(p.getDoubleValue());
        }
        return Long.valueOf(p.getLongValue());
    }

    private static Object readValue(JsonParser p, JsonToken t) {
        return switch (t) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> readArray(p);
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> integer(p);
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default ->
                    throw new BrokenDocumentException(
                            "unexpected JSON token " + t + " at " + p.currentLocation());
        };
    }
}
