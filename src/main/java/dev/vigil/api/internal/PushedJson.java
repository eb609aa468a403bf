package dev.vigil.api.internal;

import dev.vigil.snapshots.DocumentFingerprints;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a pushed configuration document so that what is stored is exactly what was accepted, or
 * refuses it with 400 naming the line, column and path of the first offending value.
 *
 * <p>The plain mapper rewrote values silently: {@code 1e999999} became the string {@code
 * "Infinity"}, a lone surrogate {@code \ud800} became {@code ?} on its way into PostgreSQL, invalid
 * UTF-8 became U+FFFD (the body was decoded to a {@code String} first), and of duplicate keys the
 * last won. The results route refuses the same bytes; so does this. It reads the bytes with
 * Jackson's UTF-8 parser (which reports malformed sequences), with duplicate detection, and checks
 * every number and string: in the tree it built, when nothing there is doubtful (most pushes, one
 * pass); else token by token before the tree is built, which names the first offending value.
 */
final class PushedJson {

    private static final JsonMapper STRICT =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private PushedJson() {}

    /**
     * A strict parser of {@code raw[off, off + len)} from a factory of its own. Jackson's UTF-8
     * parser (the one that reports malformed sequences; without name canonicalization a factory
     * decodes bytes through a lenient reader instead) keeps property names in a table shared by its
     * factory's parsers. Pushed documents carry names seen once (a zone's addresses and hostnames
     * are keys): the shared table grew to its limit and was dropped over and over, and every parser
     * copied it on its first new name, 13 % of the batch push route's JVM samples (JFR, `bench
     * changes`, 2026-12-05 19:54 UTC). A factory's new table is small; making one costs less than
     * that copy.
     */
    static JsonParser parser(byte[] raw, int off, int len) {
        return JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build()
                .createParser(ObjectReadContext.empty(), raw, off, len);
    }

    /** The one JSON object in {@code raw}; 400 naming where it is not acceptable. */
    static JsonNode object(byte[] raw) {
        return object(raw, 0, raw.length, "the configuration document", "body");
    }

    /**
     * The one JSON object in {@code raw[off, off + len)}, named {@code subject} (e.g. "line 12 of
     * the batch") in a refusal, a 400 whose field is {@code field}.
     */
    static JsonNode object(byte[] raw, int off, int len, String subject, String field) {
        JsonNode valid = readValid(raw, off, len);
        return valid != null ? valid : checked(raw, off, len, subject, field);
    }

    /**
     * The document read in one pass when it is one JSON object with nothing to refuse, else null.
     * Most pushes are acceptable, and for them this is the whole cost: one tokenization and a walk
     * of the tree, where {@link #checked} tokenizes twice (its check pass was 24 % of the batch
     * push route's CPU samples, the tree 9 %: JFR, `bench changes`, 2026-12-04 20:40 UTC). The tree
     * is the one {@link #checked} answers for the same bytes. Anything off (not one object, a
     * malformed or duplicated token, an infinite or zero float, a lone surrogate) answers null, and
     * {@link #checked} then finds the problem and names it exactly as before; a zero float may be
     * an honest {@code 0.0} or an underflow the tree cannot tell apart, so it is checked too.
     */
    private static @Nullable JsonNode readValid(byte[] raw, int off, int len) {
        try (JsonParser p = parser(raw, off, len)) {
            JsonNode doc = STRICT.readTree(p);
            if (doc == null || !doc.isObject() || p.nextToken() != null || !acceptable(doc)) {
                return null;
            }
            return doc;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** No value of {@code n} is one that {@link #check} refuses or doubts. */
    static boolean acceptable(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    if (loneSurrogate(e.getKey()) >= 0 || !acceptable(e.getValue())) {
                        yield false;
                    }
                }
                yield true;
            }
            case ARRAY -> {
                for (JsonNode item : n) {
                    if (!acceptable(item)) {
                        yield false;
                    }
                }
                yield true;
            }
            case STRING -> loneSurrogate(n.asString()) < 0;
            case NUMBER -> {
                if (!n.isFloatingPointNumber()) {
                    yield true;
                }
                double d = n.asDouble();
                yield !Double.isInfinite(d) && !Double.isNaN(d) && d != 0.0;
            }
            default -> true;
        };
    }

    /** A pushed document as it is stored: its compact text and its section fingerprints. */
    record Streamed(String text, Map<String, String> digests) {

        /** {@code document}, read as a tree. */
        static Streamed of(JsonNode document) {
            return new Streamed(
                    Json.MAPPER.writeValueAsString(document), DocumentFingerprints.of(document));
        }
    }

    /**
     * The one JSON object in {@code raw}, read in one pass ({@link #streamed}) when it is
     * acceptable as it stands, else as {@link #object} reads it; 400 naming where it is not
     * acceptable.
     */
    static Streamed document(byte[] raw) {
        try (JsonParser p = parser(raw, 0, raw.length)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                Streamed doc = streamed(p);
                if (doc != null && p.nextToken() == null) {
                    return doc;
                }
            }
        } catch (JacksonException e) {
            // the checked reading below names the problem
        }
        return Streamed.of(object(raw));
    }

    /**
     * The object {@code p} is on (its {@code START_OBJECT}), read token by token: each token
     * checked as {@link #acceptable} checks a tree, written compact as the tree would be written
     * ({@code BatchLine}'s test holds the text to that) and fed to the fingerprints; the parser is
     * left on the object's {@code END_OBJECT}. Null when a token is one {@link #check} refuses or
     * doubts: the caller then reads the bytes the checked way, which names the problem. No tree is
     * built; it and the walks over it were more than half of the batch route's JVM samples.
     */
    static @Nullable Streamed streamed(JsonParser p) {
        DocumentFingerprints digests = new DocumentFingerprints();
        ByteArrayBuilder bytes = new ByteArrayBuilder();
        try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
            int depth = 0;
            for (JsonToken t = p.currentToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT -> {
                        depth++;
                        g.writeStartObject();
                    }
                    case END_OBJECT -> {
                        depth--;
                        g.writeEndObject();
                    }
                    case START_ARRAY -> {
                        depth++;
                        g.writeStartArray();
                    }
                    case END_ARRAY -> {
                        depth--;
                        g.writeEndArray();
                    }
                    case PROPERTY_NAME -> {
                        String name = p.currentName();
                        if (loneSurrogate(name) >= 0) {
                            return null;
                        }
                        g.writeName(name);
                    }
                    case VALUE_STRING -> {
                        String s = p.getString();
                        if (loneSurrogate(s) >= 0) {
                            return null;
                        }
                        g.writeString(s);
                    }
                    case VALUE_NUMBER_INT -> {
                        switch (p.getNumberType()) {
                            case INT -> g.writeNumber(p.getIntValue());
                            case LONG -> g.writeNumber(p.getLongValue());
                            default -> g.writeNumber(p.getBigIntegerValue());
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> {
                        double d = p.getDoubleValue();
                        if (Double.isInfinite(d) || Double.isNaN(d) || d == 0.0) {
                            return null;
                        }
                        g.writeNumber(d);
                    }
                    case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> g.writeNull();
                    default -> {
                        return null;
                    }
                }
                digests.token(p, t);
                if (depth == 0) {
                    break;
                }
            }
            if (depth != 0) {
                return null;
            }
        }
        return new Streamed(
                new String(bytes.toByteArray(), StandardCharsets.UTF_8), digests.digests());
    }

    /** {@link #object}, checking every token before the tree is built. */
    private static JsonNode checked(byte[] raw, int off, int len, String subject, String field) {
        try (JsonParser p = parser(raw, off, len)) {
            check(p, subject, field);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            throw refused(
                    subject,
                    field,
                    at == null ? -1 : at.getLineNr(),
                    at == null ? -1 : at.getColumnNr(),
                    "",
                    "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode doc;
        try (JsonParser p = parser(raw, off, len)) {
            doc = STRICT.readTree(p);
            if (p.nextToken() != null) {
                throw refused(
                        subject,
                        field,
                        p.currentTokenLocation().getLineNr(),
                        p.currentTokenLocation().getColumnNr(),
                        "",
                        "not one JSON value: more after the first");
            }
        } catch (JacksonException e) {
            // the tokens were all well formed, but not as one value: "{a"2, or {} {}
            TokenStreamLocation at = e.getLocation();
            throw refused(
                    subject,
                    field,
                    at == null ? -1 : at.getLineNr(),
                    at == null ? -1 : at.getColumnNr(),
                    "",
                    "not one JSON value: " + e.getOriginalMessage());
        }
        if (doc == null || !doc.isObject()) {
            throw ApiProblem.badRequest(field, subject + " must be one JSON object");
        }
        return doc;
    }

    /**
     * Reads every token, refusing numbers a double cannot hold and strings with lone surrogates.
     */
    private static void check(JsonParser p, String subject, String field) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            switch (t) {
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (Double.isInfinite(d) || (d == 0.0 && p.getDecimalValue().signum() != 0)) {
                        throw refused(
                                p,
                                subject,
                                field,
                                "number "
                                        + abbreviate(p.getString())
                                        + " is out of the range of a 64-bit float (about 4.9e-324"
                                        + " to 1.8e308 in magnitude); it would not be stored as"
                                        + " sent");
                    }
                }
                case VALUE_STRING, PROPERTY_NAME -> {
                    String s = p.getString();
                    int bad = loneSurrogate(s);
                    if (bad >= 0) {
                        throw refused(
                                p,
                                subject,
                                field,
                                (t == JsonToken.PROPERTY_NAME ? "key" : "string")
                                        + " holds a lone surrogate \\u"
                                        + Integer.toHexString(s.charAt(bad))
                                        + " at character "
                                        + bad
                                        + ", which is no Unicode character (send the pair, or"
                                        + " the character itself in UTF-8)");
                    }
                }
                default -> {}
            }
        }
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static ApiProblem refused(JsonParser p, String subject, String field, String reason) {
        TokenStreamLocation at = p.currentTokenLocation();
        return refused(
                subject,
                field,
                at.getLineNr(),
                at.getColumnNr(),
                path(p.streamReadContext()),
                reason);
    }

    private static ApiProblem refused(
            String subject, String field, int line, int column, String path, String reason) {
        return ApiProblem.badRequest(
                field,
                subject
                        + " is refused at line "
                        + line
                        + ", column "
                        + column
                        + (path.isEmpty() ? "" : " (" + path + ")")
                        + ": "
                        + reason);
    }

    /** Where the parser is, as {@code dns_records[2].name}. */
    static String path(TokenStreamContext ctx) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (TokenStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            String name = c.currentName();
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (name != null) {
                parts.addFirst("." + name);
            }
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "…";
    }
}
