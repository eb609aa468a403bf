package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sort order and keyset paging of the insight list: {@code order} (severity, first_seen, last_seen,
 * subject), {@code direction} (asc, desc), ties broken by insight id in the same direction so the
 * order is total and stable, {@code per_page}, and an opaque {@code cursor} carrying the last row's
 * sort key and id. {@code page} (offset paging) is kept for small offsets.
 */
public record InsightSort(
        Order order, boolean descending, @Nullable Key after, int perPage, @Nullable Integer page) {

    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 500;

    /** Parameters of the sort, beside the filters. */
    public static final Set<String> PARAMS =
            Set.of("order", "direction", "cursor", "per_page", "page");

    /** A sortable property: its SQL expression and the SQL type of its key. */
    public enum Order {
        SEVERITY(
                "array_position(array['low','moderate','high','critical'], i.severity)", "integer"),
        FIRST_SEEN("i.first_seen_at", "timestamptz"),
        LAST_SEEN("(" + InsightRows.LAST_SEEN + ")", "timestamptz"),
        SUBJECT("i.subject", "text");

        final String expr;
        final String type;

        Order(String expr, String type) {
            this.expr = expr;
            this.type = type;
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The position after which the next page starts. */
    public record Key(String value, long id) {}

    /** Parses the sort and paging parameters; 400 naming the parameter when one is bad. */
    public static InsightSort parse(Context ctx) {
        Order order = Order.SEVERITY;
        String rawOrder = ctx.queryParam("order");
        if (rawOrder != null) {
            order = enumValue(Order.class, "order", rawOrder);
        }
        String dir = ctx.queryParamAsClass("direction", String.class).getOrDefault("desc");
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw ApiProblem.badRequest(
                    "direction",
                    "query parameter 'direction' must be asc or desc, got '" + dir + "'");
        }
        int perPage = InsightFilter.integer(ctx, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        String cursor = ctx.queryParam("cursor");
        Key after = cursor == null || cursor.isBlank() ? null : decode(cursor, order, dir);
        Integer page = null;
        if (ctx.queryParam("page") != null) {
            if (after != null) {
                throw ApiProblem.badRequest(
                        "page", "use either 'cursor' or 'page', not both (cursor is preferred)");
            }
            page = InsightFilter.integer(ctx, "page", 1, 1, 10_000);
        }
        return new InsightSort(order, dir.equals("desc"), after, perPage, page);
    }

    /** {@code order by} clause on insights alias {@code i}. */
    public String orderBy() {
        String d = descending ? " desc" : " asc";
        return " order by " + order.expr + d + ", i.insight_id" + d;
    }

    /** The keyset condition (or {@code true}), binding the cursor into {@code binds}. */
    public String after(Map<String, Object> binds) {
        if (after == null) {
            return "true";
        }
        binds.put("after_key", after.value());
        binds.put("after_id", after.id());
        return "("
                + order.expr
                + ", i.insight_id) "
                + (descending ? "<" : ">")
                + " (cast(:after_key as "
                + order.type
                + "), cast(:after_id as bigint))";
    }

    /** The SQL text of the sort key, to build the next cursor from the last row. */
    public String keyColumn() {
        String text =
                order.type.equals("timestamptz")
                        ? "to_char("
                                + order.expr
                                + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                        : "cast(" + order.expr + " as text)";
        return text + " as sort_key";
    }

    /** The opaque cursor pointing after {@code key}. */
    public String encode(Key key) {
        String raw =
                order.wire()
                        + "\n"
                        + (descending ? "desc" : "asc")
                        + "\n"
                        + key.id()
                        + "\n"
                        + key.value();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Key decode(String cursor, Order order, String dir) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\n", 4);
            if (parts.length == 4
                    && parts[0].equals(order.wire())
                    && parts[1].equals(dir)
                    && validKey(order, parts[3])) {
                return new Key(parts[3], Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // reported below
        }
        throw ApiProblem.badRequest(
                "cursor",
                "query parameter 'cursor' is not a cursor of this order ("
                        + order.wire()
                        + " "
                        + dir
                        + "): pass the result_info.cursor of the previous page with the same"
                        + " order and direction");
    }

    private static boolean validKey(Order order, String value) {
        switch (order.type) {
            case "integer" -> Integer.parseInt(value);
            case "timestamptz" -> java.time.Instant.parse(value);
            default -> {}
        }
        return true;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String param, String raw) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw)) {
                return e;
            }
        }
        throw ApiProblem.badRequest(
                param,
                "query parameter '"
                        + param
                        + "' has an unknown value '"
                        + raw
                        + "' (expected one of "
                        + String.join(
                                ", ",
                                java.util.Arrays.stream(type.getEnumConstants())
                                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                                        .toList())
                        + ")");
    }
}
