package dev.vigil.sources.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Checks that a fetched body opens a JSON object, by reading its first token only.
 *
 * <p>Only the first token: the checker decodes every document it evaluates, and that decode refuses
 * anything that is not exactly one well-formed object ({@code ConfigDocuments.parse}). Tokenizing
 * the whole body here as well read every document twice (7.2 % of the fast worker's samples,
 * docs/perf/2026-12-06-java-forms.md). What this still answers at the fetch, with the URL in the
 * message, is the common case of a service answering 200 with something else: an HTML page, an
 * empty body, an array.
 */
public final class JsonDocuments {

    private JsonDocuments() {}

    /**
     * Null when {@code json} opens a JSON object; otherwise what it holds instead. A factory per
     * body, so no table of property names is shared between threads (docs/perf/2026-12-06-java-
     * forms.md); not a factory without the table: Jackson then reads bytes through a character
     * reader and loses the byte offset the messages give.
     */
    public static @Nullable String problem(byte[] json) {
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return "expected a JSON object but the document starts with "
                        + (first == null
                                ? "nothing (empty body)"
                                : first.asString() == null ? first.name() : first.asString());
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
