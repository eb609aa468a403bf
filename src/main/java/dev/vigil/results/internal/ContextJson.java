package dev.vigil.results.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** A finding's context as the JSON array text the {@code context jsonb} columns take. */
final class ContextJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ContextJson() {}

    /** The JSON array of {@code values}, or null (SQL NULL: no context) when there are none. */
    static @Nullable String of(List<String> values) {
        return values.isEmpty() ? null : MAPPER.writeValueAsString(values);
    }
}
