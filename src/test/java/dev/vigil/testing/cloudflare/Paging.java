package dev.vigil.testing.cloudflare;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two ways the API pages a list. Page-numbered lists take {@code page} and {@code per_page}
 * within the bounds the published schema gives for that route and answer {@code result_info} {@code
 * {page, per_page, count, total_count, total_pages}}; a page past the end is empty, not an error.
 * The rulesets list is cursor-paged: {@code cursor} and {@code per_page} in, {@code
 * result_info.cursor} out while more remain (an opaque token; the last page has no result_info).
 */
final class Paging {

    /**
     * Code of the 400 answered for a bad paging parameter (the stub's choice; Cloudflare's varies).
     */
    static final int BAD_PARAMETER = 1001;

    /** The {@code per_page} bounds and default of one route, as its published parameters say. */
    record Bounds(int min, int max, int defaultPerPage) {}

    static final Bounds ACCOUNTS = new Bounds(5, 50, 20);
    static final Bounds ZONES = new Bounds(5, 50, 20);
    static final Bounds MEMBERS = new Bounds(5, 50, 20);
    static final Bounds TOKENS = new Bounds(5, 50, 20);
    static final Bounds TUNNELS = new Bounds(1, 1000, 20);
    static final Bounds WIDGETS = new Bounds(5, 1000, 25);
    static final Bounds DNS_RECORDS = new Bounds(1, 5_000_000, 100);
    static final Bounds API_OPERATIONS = new Bounds(5, 50, 20);

    /** Lists the API answers whole (no paging parameters in the published schema). */
    static final int UNPAGED_PER_PAGE = 1000;

    static final int RULESETS_DEFAULT_PER_PAGE = 20;
    static final int RULESETS_MAX_PER_PAGE = 50;

    private Paging() {}

    static Reply byPage(
            List<JsonNode> items, Map<String, List<String>> query, Bounds b, Faults faults) {
        int page;
        int perPage;
        try {
            page = integer(query, "page", 1, 1, Integer.MAX_VALUE);
            perPage = integer(query, "per_page", b.defaultPerPage(), b.min(), b.max());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, BAD_PARAMETER, e.getMessage());
        }
        int total = items.size();
        int pages = (total + perPage - 1) / perPage;
        if (faults.emptiesLastPage()) {
            pages++;
        }
        long from = (long) (page - 1) * perPage;
        ArrayNode result = FixtureJson.NODES.arrayNode();
        for (long i = from; i < Math.min(total, from + perPage); i++) {
            result.add(items.get((int) i));
        }
        ObjectNode info = FixtureJson.NODES.objectNode();
        info.put("page", page);
        info.put("per_page", perPage);
        info.put("count", result.size());
        if (!faults.omitsTotalPages()) {
            info.put("total_count", total);
            info.put("total_pages", pages);
        }
        return Reply.list(result, info);
    }

    static Reply whole(List<JsonNode> items) {
        ArrayNode result = FixtureJson.NODES.arrayNode();
        items.forEach(result::add);
        ObjectNode info = FixtureJson.NODES.objectNode();
        info.put("page", 1);
        info.put("per_page", UNPAGED_PER_PAGE);
        info.put("count", items.size());
        info.put("total_count", items.size());
        info.put("total_pages", 1);
        return Reply.list(result, info);
    }

    static Reply byCursor(List<JsonNode> items, Map<String, List<String>> query) {
        int perPage;
        int from;
        try {
            perPage =
                    integer(query, "per_page", RULESETS_DEFAULT_PER_PAGE, 1, RULESETS_MAX_PER_PAGE);
            from = offset(first(query, "cursor"), items.size());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, BAD_PARAMETER, e.getMessage());
        }
        ArrayNode result = FixtureJson.NODES.arrayNode();
        int to = Math.min(items.size(), from + perPage);
        for (int i = from; i < to; i++) {
            result.add(items.get(i));
        }
        if (to >= items.size()) {
            return Reply.listWithoutInfo(result);
        }
        ObjectNode info = FixtureJson.NODES.objectNode();
        info.put("cursor", cursorFor(to));
        return Reply.list(result, info);
    }

    static String cursorFor(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(@Nullable String cursor, int size) {
        if (cursor == null) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int n = Integer.parseInt(s.substring("offset:".length()));
            if (!s.startsWith("offset:") || n < 0 || n > size) {
                throw new IllegalArgumentException("out of range");
            }
            return n;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }

    private static int integer(
            Map<String, List<String>> q, String name, int dflt, int min, int max) {
        String v = first(q, name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below, which names the accepted range
        }
        throw new IllegalArgumentException(
                name + " must be an integer from " + min + " to " + max + ", was '" + v + "'");
    }

    static @Nullable String first(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
