package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.javalin.json.JsonMapper;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;

/**
 * Jackson 3 for the API: snake_case names, RFC 3339 instants ({@link Rfc3339}). Also Javalin's
 * {@link JsonMapper} (Javalin's own mapper expects Jackson 2, which Vigil does not ship).
 */
public final class Json implements JsonMapper {

    public static final tools.jackson.databind.json.JsonMapper MAPPER =
            tools.jackson.databind.json.JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .addModule(Rfc3339.MODULE)
                    .build();

    public static byte[] bytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * The Cloudflare envelope: {@code success}, {@code errors} and {@code messages} (always true
     * and empty here: failures are problem details), the result, and the result info when there is
     * one.
     */
    record Envelope(
            boolean success,
            List<Object> errors,
            List<Object> messages,
            Object result,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Object resultInfo) {}

    /** Answers {@code result} in the Cloudflare envelope, with {@code resultInfo} when not null. */
    public static void ok(Context ctx, Object result, @Nullable Object resultInfo) {
        ctx.contentType("application/json")
                .result(bytes(new Envelope(true, List.of(), List.of(), result, resultInfo)));
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return MAPPER.writeValueAsString(obj);
    }

    // Javalin's JsonMapper declares the type parameter; an override must keep its signature.
    @SuppressWarnings("TypeParameterUnusedInFormals")
    @Override
    public <T> T fromJsonString(String json, Type type) {
        return MAPPER.readValue(json, MAPPER.constructType(type));
    }

    // Javalin's JsonMapper declares the type parameter; an override must keep its signature.
    @SuppressWarnings("TypeParameterUnusedInFormals")
    @Override
    public <T> T fromJsonStream(InputStream json, Type type) {
        return MAPPER.readValue(json, MAPPER.constructType(type));
    }
}
