package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.vigil.snapshots.ConfigSnapshots;
import dev.vigil.snapshots.Snapshot;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /internal/v1/targets/config:batch} (service token): several stored versions of pushed
 * documents in one call, for the change workers (a config-change event without its document inline
 * names a version to read). Body {@code {"items": [{"target_id": "z1", "version": 3}, …]}}, 1 to
 * {@link #MAX_ITEMS} items; the answer (200) lists one item per requested one, in order: {@code
 * status} 200 with the {@code document}, 404 with a {@code problem} when that version was never
 * stored or was pruned, or 413 with a {@code problem} when the documents before it already fill
 * {@link #RESPONSE_BUDGET_BYTES} (fetch that one alone, with {@code GET
 * /internal/v1/targets/{target_id}/config?version=N}).
 */
public final class SnapshotBatchRoutes {

    /** The most items one call may ask for. */
    public static final int MAX_ITEMS = 64;

    /** Documents of one answer total at most this (the first is always included). */
    public static final int RESPONSE_BUDGET_BYTES = 32 * 1024 * 1024;

    public static final String PATH = "/internal/v1/targets/config:batch";

    private final Auth auth;
    private final ConfigSnapshots snapshots;

    private SnapshotBatchRoutes(Auth auth, ConfigSnapshots snapshots) {
        this.auth = auth;
        this.snapshots = snapshots;
    }

    /** Registers the route, traced with {@code spans}. */
    public static void register(
            RoutesConfig routes, Auth auth, ConfigSnapshots snapshots, ServerSpans spans) {
        SnapshotBatchRoutes r = new SnapshotBatchRoutes(auth, snapshots);
        routes.post(PATH, spans.wrap("POST", PATH, r::fetch));
    }

    /** One requested version. */
    record Wanted(String targetId, long version) {}

    /**
     * One answered version: {@code document} (the stored JSON, verbatim) when {@code status} is
     * 200, else {@code problem}.
     */
    record Item(
            String targetId,
            long version,
            int status,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Nullable String document,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ProblemBody problem) {}

    record Reply(List<Item> items) {}

    void fetch(Context ctx) {
        auth.service(ctx);
        List<Wanted> wanted = wanted(Bodies.object(ctx, Set.of("items")));
        List<Item> out = new ArrayList<>(wanted.size());
        long used = 0;
        for (Wanted w : wanted) {
            Optional<Snapshot> s = snapshots.find(w.targetId(), w.version());
            if (s.isEmpty()) {
                out.add(
                        problem(
                                w,
                                404,
                                "Not found",
                                "no pushed configuration for target '"
                                        + w.targetId()
                                        + "' at version "
                                        + w.version()
                                        + " (never stored, or pruned after "
                                        + ConfigSnapshots.KEEP_VERSIONS
                                        + " newer ones)"));
                continue;
            }
            String doc = s.get().document();
            long size = doc.getBytes(StandardCharsets.UTF_8).length;
            if (used > 0 && used + size > RESPONSE_BUDGET_BYTES) {
                out.add(
                        problem(
                                w,
                                413,
                                "Response budget spent",
                                "the documents before this one fill this answer's "
                                        + RESPONSE_BUDGET_BYTES
                                        + " bytes; fetch it alone (GET"
                                        + " /internal/v1/targets/{target_id}/config?version=N) or"
                                        + " in another batch"));
                continue;
            }
            used += size;
            out.add(new Item(w.targetId(), w.version(), 200, doc, null));
        }
        ctx.contentType("application/json").result(Json.bytes(new Reply(out)));
    }

    private static Item problem(Wanted w, int status, String title, String detail) {
        return new Item(
                w.targetId(),
                w.version(),
                status,
                null,
                new ProblemBody(ProblemBody.ABOUT_BLANK, title, status, detail, null, null));
    }

    /** The requested items, or a 400 naming the first one at fault. */
    static List<Wanted> wanted(JsonNode body) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw ApiProblem.badRequest(
                    "items",
                    "field 'items' is required: a list of 1 to "
                            + MAX_ITEMS
                            + " objects {\"target_id\": \"…\", \"version\": N}");
        }
        if (items.size() > MAX_ITEMS) {
            throw ApiProblem.badRequest(
                    "items",
                    "field 'items' has "
                            + items.size()
                            + " items; the most one call may ask for is "
                            + MAX_ITEMS
                            + ": split them into several calls");
        }
        List<Wanted> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(item(items.get(i), "items[" + i + "]"));
        }
        return out;
    }

    private static Wanted item(JsonNode item, String at) {
        if (!item.isObject()) {
            throw ApiProblem.badRequest(
                    at, at + " must be an object {\"target_id\": \"…\", \"version\": N}");
        }
        for (String name : item.propertyNames()) {
            if (!name.equals("target_id") && !name.equals("version")) {
                throw ApiProblem.badRequest(
                        at + "." + name,
                        "unknown field '" + name + "' in " + at + " (expected target_id, version)");
            }
        }
        JsonNode id = item.get("target_id");
        if (id == null || !id.isString() || id.stringValue().isBlank()) {
            throw ApiProblem.badRequest(
                    at + ".target_id", at + ".target_id is required: a non-empty string");
        }
        if (id.stringValue().indexOf('\0') >= 0) {
            throw ApiProblem.badRequest(
                    at + ".target_id", at + ".target_id contains a NUL character");
        }
        JsonNode version = item.get("version");
        if (version == null
                || !version.isIntegralNumber()
                || !version.canConvertToLong()
                || version.asLong() < 1) {
            throw ApiProblem.badRequest(
                    at + ".version", at + ".version is required: an integer of at least 1");
        }
        return new Wanted(id.stringValue(), version.asLong());
    }
}
