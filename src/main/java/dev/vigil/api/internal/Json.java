package dev.vigil.api.internal;

import io.javalin.http.Context;
import io.javalin.json.JsonMapper;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Answers {@code result} in the Cloudflare envelope, with {@code resultInfo} when not null. */
    public static void ok(Context ctx, Object result, @Nullable Map<String, ?> resultInfo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("errors", List.of());
        body.put("messages", List.of());
        body.put("result", result);
        if (resultInfo != null) {
            body.put("result_info", resultInfo);
        }
        ctx.contentType("application/json").result(bytes(body));
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return MAPPER.writeValueAsString(obj);
    }

    @Override
    public <T> T fromJsonString(String json, Type type) {
        return MAPPER.readValue(json, MAPPER.constructType(type));
    }

    @Override
    public <T> T fromJsonStream(InputStream json, Type type) {
        return MAPPER.readValue(json, MAPPER.constructType(type));
    }
}
