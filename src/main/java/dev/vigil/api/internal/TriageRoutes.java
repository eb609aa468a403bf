package dev.vigil.api.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The user's decisions on insights: dismiss and undismiss (one, or many by ids or by the current
 * filter), and classify. Write tokens only. Every change is audited in the same statement, with the
 * token's name as actor and the field, old and new values in {@code detail}; a request that changes
 * nothing (dismissing a dismissed insight) writes no audit row.
 */
public final class TriageRoutes {

    /** The classifications a user may set. */
    static final Set<String> CLASSIFICATIONS = Set.of("false_positive", "accept_risk", "other");

    private static final int MAX_RATIONALE = 4_000;
    private static final int MAX_IDS = 10_000;

    private final Auth auth;
    private final Jdbi jdbi;
    private final TriageWrites writes;

    private TriageRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.writes = new TriageWrites(jdbi);
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        TriageRoutes r = new TriageRoutes(auth, jdbi);
        for (String p : InsightRoutes.PREFIXES) {
            routes.post(p + "/insights/dismiss", r::dismissMany);
            routes.put(p + "/insights/{insight_id}/dismiss", r::dismissOne);
            routes.put(p + "/insights/{insight_id}/classification", r::classify);
        }
    }

    private void dismissOne(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = InsightRoutes.insightId(ctx);
        boolean dismiss = Bodies.bool(Bodies.object(ctx, Set.of("dismiss")), "dismiss");
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("id", id);
        long matched =
                writes.dismiss(
                                scope,
                                scope.predicate("i") + " and i.insight_id = :id",
                                binds,
                                dismiss)
                        .matched();
        if (matched == 0) {
            throw InsightRoutes.notFound(id);
        }
        Json.ok(ctx, InsightRoutes.find(jdbi, scope, id), null);
    }

    /**
     * {@code POST .../insights/dismiss}: by {@code ids} in the body, or by the query's filters (the
     * same as the list's), or both; refuses a request with neither, so a bare call never dismisses
     * everything.
     */
    private void dismissMany(Context ctx) {
        Scope scope = auth.write(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("dismiss", "ids"));
        boolean dismiss = Bodies.bool(body, "dismiss");
        List<Long> ids = ids(body);
        boolean narrowed = InsightFilter.narrowed(ctx);
        if (ids == null && !narrowed) {
            throw ApiProblem.badRequest(
                    "ids",
                    "name the insights: field 'ids' in the body, or filters in the query (as for"
                            + " the list), or both");
        }
        InsightFilter filter =
                narrowed || ids == null
                        ? InsightFilter.parse(ctx, Set.of())
                        : new InsightFilter(List.of());
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        String targets = scope.predicate("i") + " and " + filter.sql(binds);
        if (ids != null) {
            binds.put("ids", ids.toArray(Long[]::new));
            targets += " and i.insight_id = any(cast(:ids as bigint[]))";
        }
        Json.ok(ctx, writes.dismiss(scope, targets, binds, dismiss), null);
    }

    private static @Nullable List<Long> ids(JsonNode body) {
        JsonNode v = body.get("ids");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty() || v.size() > MAX_IDS) {
            throw ApiProblem.badRequest(
                    "ids", "field 'ids' must be an array of 1 to " + MAX_IDS + " insight ids");
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber()) {
                throw ApiProblem.badRequest(
                        "ids[" + i + "]", "field 'ids[" + i + "]' must be an integer insight id");
            }
            out.add(e.longValue());
        }
        return out;
    }

    /**
     * {@code PUT .../insights/{id}/classification}: {@code classification} (false_positive,
     * accept_risk, other, or null to clear), {@code rationale} (required unless clearing) and
     * {@code expires_at} (optional, in the future), after which the classification lapses.
     */
    private void classify(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = InsightRoutes.insightId(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("classification", "rationale", "expires_at"));
        if (!body.has("classification")) {
            throw ApiProblem.badRequest(
                    "classification",
                    "field 'classification' is required: false_positive, accept_risk, other, or"
                            + " null to clear");
        }
        String c = Bodies.text(body, "classification");
        String rationale = Bodies.text(body, "rationale");
        Instant expires = Bodies.instant(body, "expires_at");
        if (c != null && !CLASSIFICATIONS.contains(c)) {
            throw ApiProblem.badRequest(
                    "classification",
                    "field 'classification' has an unknown value '"
                            + c
                            + "' (expected false_positive, accept_risk, other, or null)");
        }
        if (c != null && (rationale == null || rationale.isBlank())) {
            throw ApiProblem.badRequest(
                    "rationale", "field 'rationale' is required to classify an insight as " + c);
        }
        if (rationale != null && rationale.length() > MAX_RATIONALE) {
            throw ApiProblem.badRequest(
                    "rationale", "field 'rationale' may be at most " + MAX_RATIONALE + " chars");
        }
        if (expires != null && (c == null || !expires.isAfter(Instant.now()))) {
            throw ApiProblem.badRequest(
                    "expires_at",
                    "field 'expires_at' must be in the future, and only with a classification");
        }
        String r = c == null ? null : rationale;
        int changed = writes.classify(scope, id, c, r, expires);
        if (changed == 0) {
            throw InsightRoutes.notFound(id);
        }
        Json.ok(ctx, InsightRoutes.find(jdbi, scope, id), null);
    }
}
