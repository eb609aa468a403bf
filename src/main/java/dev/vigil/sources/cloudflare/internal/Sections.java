package dev.vigil.sources.cloudflare.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A document being built section by section: a section whose fetch fails is named in {@code
 * _errors} with the reason, never left out silently, and the other sections are still built. The
 * checks that read an errored section are ERROR and leave the insights they hold as they are.
 *
 * <p>Not thread-safe: one builder per document, on one thread.
 */
final class Sections {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode doc = NODES.objectNode();
    private final Map<String, String> errors = new LinkedHashMap<>();

    /** Builds {@code name} from {@code fetch}; an {@link ApiException} becomes its error entry. */
    boolean section(String name, Supplier<JsonNode> fetch) {
        try {
            doc.set(name, fetch.get());
            return true;
        } catch (ApiException e) {
            errors.put(name, e.reason());
            return false;
        }
    }

    /** Marks {@code name} as not built, for a reason other than its own fetch. */
    void error(String name, String reason) {
        doc.remove(name);
        errors.put(name, reason);
    }

    boolean failed(String name) {
        return errors.containsKey(name);
    }

    ObjectNode doc() {
        return doc;
    }

    /** The document with its {@code _errors} object when any section failed. */
    ObjectNode finish() {
        if (!errors.isEmpty()) {
            ObjectNode e = doc.putObject("_errors");
            errors.forEach(e::put);
        }
        return doc;
    }
}
