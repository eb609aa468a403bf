package dev.vigil.sources.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/** Checks that bytes are one well-formed JSON object, by streaming over them without a tree. */
public final class JsonDocuments {

    /**
     * A factory per body, so each check has a table of property names of its own: a shared table
     * grows with the names of every body and a parser copies it whole on its first new name (6.8 %
     * of the fast worker's samples with the decode's; docs/perf/2026-12-06-java-forms.md). Not a
     * factory without the table: Jackson then reads bytes through a character reader, which is
     * slower and loses the byte offset the messages give.
     */
    private static JsonFactory factory() {
        return new JsonFactory();
    }

    private JsonDocuments() {}

    /** Null when {@code json} is exactly one JSON object; otherwise what is wrong with it. */
    public static @Nullable String problem(byte[] json) {
        try (JsonParser parser = factory().createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return "expected a JSON object but the document starts with "
                        + (first == null
                                ? "nothing (empty body)"
                                : first.asString() == null ? first.name() : first.asString());
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                return "unexpected content after the JSON object: " + trailing.name();
            }
            return null;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where =
                    at == null
                            ? ""
                            : " at line "
                                    + at.getLineNr()
                                    + ", column "
                                    + at.getColumnNr()
                                    + " (byte "
                                    + at.getByteOffset()
                                    + ")";
            return "not valid JSON: " + e.getOriginalMessage() + where;
        }
    }
}
