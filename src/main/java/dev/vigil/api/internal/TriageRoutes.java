package dev.vigil.api.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Timestamp;
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

    /**
     * Sets {@code dismissed} on the insights of {@code %TARGETS%} that differ, and audits each. The
     * scope predicate is repeated in the update (the partition key prunes to one partition).
     */
    private static final String DISMISS =
            """
            with targets as (
                select i.insight_id, i.zone_id from insights i where %TARGETS%
            ),
            upd as (
                update insights i set dismissed = cast(:d as boolean)
                from targets t
                where i.account_id = :scope_account and i.insight_id = t.insight_id
                  and i.dismissed <> cast(:d as boolean)
                returning i.insight_id, i.zone_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, changed_by, detail)
                select :scope_account, zone_id, insight_id,
                       case when cast(:d as boolean) then 'dismissed' else 'undismissed' end,
                       :actor,
                       jsonb_build_object('field', 'dismissed', 'old', not cast(:d as boolean),
                                          'new', cast(:d as boolean))
                from upd
            )
            select (select count(*) from targets) as matched, (select count(*) from upd) as changed
            """;

    private static final String CLASSIFY =
            """
            with old as (
                select i.insight_id, i.zone_id, i.classification,
                       coalesce(i.classification_expires_at <= now(), false) as lapsed
                from insights i where %SCOPE% and i.insight_id = :id
                for update
            ),
            upd as (
                update insights i
                set classification = cast(:c as text), classification_rationale = cast(:r as text),
                    classification_expires_at = cast(:e as timestamptz), classified_by = :actor,
                    classified_at = now()
                from old
                where i.account_id = :scope_account and i.insight_id = old.insight_id
                returning i.insight_id
            ),
            audit as (
                insert into audit_log (account_id, zone_id, insight_id, action, changed_by, detail)
                select :scope_account, zone_id, insight_id,
                       case when cast(:c as text) is null then 'unclassified' else 'classified' end,
                       :actor,
                       jsonb_build_object('field', 'classification', 'old', classification,
                                          'old_lapsed', lapsed, 'new', cast(:c as text),
                                          'rationale', cast(:r as text),
                                          'expires_at', cast(:e as timestamptz))
                from old
            )
            select count(*) from upd
            """;

    private final Auth auth;
    private final Jdbi jdbi;

    private TriageRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
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
                dismiss(scope, scope.predicate("i") + " and i.insight_id = :id", binds, dismiss)
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
        Json.ok(ctx, dismiss(scope, targets, binds, dismiss), null);
    }

    /**
     * The answer to a bulk dismiss.
     *
     * @param matched the insights the request named (in the caller's scope)
     * @param changed those whose flag changed (the others already had it)
     */
    record Dismissed(boolean dismiss, long matched, long changed) {}

    private Dismissed dismiss(Scope scope, String targets, Map<String, Object> binds, boolean d) {
        return jdbi.inTransaction(
                h ->
                        h.createQuery(DISMISS.replace("%TARGETS%", targets))
                                .bindMap(binds)
                                .bind("d", d)
                                .bind("actor", scope.actor())
                                .map(
                                        (rs, c) ->
                                                new Dismissed(
                                                        d,
                                                        rs.getLong("matched"),
                                                        rs.getLong("changed")))
                                .one());
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
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        int changed =
                jdbi.inTransaction(
                        h ->
                                h.createQuery(CLASSIFY.replace("%SCOPE%", scope.predicate("i")))
                                        .bindMap(binds)
                                        .bind("id", id)
                                        .bind("c", c)
                                        .bind("r", r)
                                        .bind("e", expires == null ? null : Timestamp.from(expires))
                                        .bind("actor", scope.actor())
                                        .mapTo(Integer.class)
                                        .one());
        if (changed == 0) {
            throw InsightRoutes.notFound(id);
        }
        Json.ok(ctx, InsightRoutes.find(jdbi, scope, id), null);
    }
}
