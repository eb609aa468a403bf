package dev.vigil.api.internal;

import dev.vigil.alerts.AlertDeliveries;
import dev.vigil.alerts.AlertRules;
import dev.vigil.alerts.Delivery;
import dev.vigil.alerts.RuleView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An account's alert rules: create, list, read, replace, delete, pause and resume; queue a test
 * message (202: the dispatcher sends it); read the delivery log, newest first, cursor-paged.
 */
final class AlertRuleRoutes {

    /** The default and largest page of the delivery log. */
    static final int DEFAULT_PER_PAGE = 50;

    static final int MAX_PER_PAGE = 200;

    private final Auth auth;
    private final AlertRules rules;
    private final AlertDeliveries deliveries;

    private AlertRuleRoutes(Auth auth, AlertRules rules, AlertDeliveries deliveries) {
        this.auth = auth;
        this.rules = rules;
        this.deliveries = deliveries;
    }

    static void register(
            RoutesConfig routes, Auth auth, AlertRules rules, AlertDeliveries deliveries) {
        AlertRuleRoutes r = new AlertRuleRoutes(auth, rules, deliveries);
        String p = AlertRoutes.PREFIX + "/rules";
        routes.post(p, r::create);
        routes.get(p, r::list);
        routes.get(p + "/{rule_id}", r::one);
        routes.put(p + "/{rule_id}", r::update);
        routes.delete(p + "/{rule_id}", r::delete);
        routes.post(p + "/{rule_id}/pause", ctx -> r.pause(ctx, true));
        routes.post(p + "/{rule_id}/resume", ctx -> r.pause(ctx, false));
        routes.post(p + "/{rule_id}/test", r::test);
        routes.get(p + "/{rule_id}/deliveries", r::deliveries);
    }

    private void create(Context ctx) {
        Scope scope = auth.write(ctx);
        var spec = AlertBodies.rule(Bodies.object(ctx, AlertBodies.RULE_FIELDS));
        RuleView v = rules.create(scope.accountId(), spec);
        ctx.status(201);
        Json.ok(ctx, AlertReplies.Rule.of(v), null);
    }

    private void list(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        Json.ok(
                ctx,
                rules.list(scope.accountId()).stream().map(AlertReplies.Rule::of).toList(),
                null);
    }

    private void one(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        long id = AlertRoutes.id(ctx, "rule_id");
        Json.ok(ctx, AlertReplies.Rule.of(found(rules.find(scope.accountId(), id), id)), null);
    }

    private void update(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = AlertRoutes.id(ctx, "rule_id");
        var spec = AlertBodies.rule(Bodies.object(ctx, AlertBodies.RULE_FIELDS));
        Json.ok(
                ctx,
                AlertReplies.Rule.of(found(rules.update(scope.accountId(), id, spec), id)),
                null);
    }

    private void delete(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = AlertRoutes.id(ctx, "rule_id");
        if (!rules.delete(scope.accountId(), id)) {
            throw AlertRoutes.notFound("rule", id, "rule_id");
        }
        ctx.status(204);
    }

    private void pause(Context ctx, boolean paused) {
        Scope scope = auth.write(ctx);
        long id = AlertRoutes.id(ctx, "rule_id");
        Json.ok(
                ctx,
                AlertReplies.Rule.of(found(rules.pause(scope.accountId(), id, paused), id)),
                null);
    }

    private void test(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = AlertRoutes.id(ctx, "rule_id");
        AlertDeliveries.TestMessage m = found(deliveries.sendTest(scope.accountId(), id), id);
        ctx.status(202);
        Json.ok(ctx, AlertReplies.TestQueued.of(m), null);
    }

    private void deliveries(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("cursor", "per_page"));
        long id = AlertRoutes.id(ctx, "rule_id");
        int perPage = InsightFilter.integer(ctx, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        String cursor = ctx.queryParam("cursor");
        Delivery.Cursor after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        Delivery.Page page = found(deliveries.page(scope.accountId(), id, after, perPage), id);
        Delivery.Cursor next = page.next();
        Json.ok(
                ctx,
                page.deliveries(),
                new AuditRoutes.PageInfo(
                        page.deliveries().size(), perPage, next == null ? null : encode(next)));
    }

    private static <T> T found(Optional<T> v, long id) {
        return v.orElseThrow(() -> AlertRoutes.notFound("rule", id, "rule_id"));
    }

    private static String encode(Delivery.Cursor c) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((c.createdAt() + "\n" + c.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static Delivery.Cursor decode(String cursor) {
        try {
            String[] parts =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                            .split("\n", -1);
            if (parts.length == 2) {
                return new Delivery.Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below
        }
        throw ApiProblem.badRequest(
                "cursor",
                "query parameter 'cursor' is not a delivery-log cursor: pass the"
                        + " result_info.cursor of the previous page");
    }
}
