package dev.vigil.api.internal;

import dev.vigil.alerts.AlertDeliveries;
import dev.vigil.alerts.AlertDestinations;
import dev.vigil.alerts.AlertNameTakenException;
import dev.vigil.alerts.AlertRules;
import dev.vigil.alerts.DestinationAndSecret;
import dev.vigil.alerts.DestinationView;
import dev.vigil.alerts.InvalidAlertSettingException;
import dev.vigil.alerts.NoAlertSecretKeyException;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.UnknownAlertDestinationException;
import dev.vigil.checks.RuleSets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The alerting routes of an account, under {@code /v1/accounts/{account_id}/alerting/}: its
 * destinations (this class) and its rules, their test messages and delivery log ({@link
 * AlertRuleRoutes}). Reads need a token covering the account, changes a write token of it. An id of
 * another account's destination or rule answers 404, as one that does not exist.
 *
 * <p>A webhook's signing secret is answered once, by its creation and by each rotation; a Slack URL
 * never (only its host). Neither is logged: the specs and answers mask them in {@code toString},
 * and no handler logs a body.
 */
public final class AlertRoutes {

    /** The prefix of every alerting route. */
    static final String PREFIX = "/v1/accounts/{account_id}/alerting";

    private final Auth auth;
    private final AlertDestinations destinations;

    private AlertRoutes(Auth auth, AlertDestinations destinations) {
        this.auth = auth;
        this.destinations = destinations;
    }

    /**
     * Registers the routes and the answers to the alerts feature's failures.
     *
     * @param box seals destinations' secrets; null without {@code VIGIL_ALERT_SECRET_KEY}, and then
     *     webhook and Slack destinations cannot be created (503 naming the setting)
     */
    public static void register(
            RoutesConfig routes, Auth auth, Jdbi jdbi, @Nullable SecretBox box) {
        AlertRoutes r = new AlertRoutes(auth, AlertDestinations.create(jdbi, box));
        String d = PREFIX + "/destinations";
        routes.post(d, r::create);
        routes.get(d, r::list);
        routes.get(d + "/{destination_id}", r::one);
        routes.put(d + "/{destination_id}", r::update);
        routes.delete(d + "/{destination_id}", r::delete);
        routes.post(d + "/{destination_id}/rotate-secret", r::rotate);
        AlertRuleRoutes.register(
                routes,
                auth,
                AlertRules.create(jdbi, RuleSets.catalogue()),
                AlertDeliveries.create(jdbi));
        routes.exception(
                InvalidAlertSettingException.class,
                (e, ctx) ->
                        Problems.render(
                                ctx,
                                ApiProblem.badRequest(e.field(), String.valueOf(e.getMessage()))));
        routes.exception(
                UnknownAlertDestinationException.class,
                (e, ctx) ->
                        Problems.render(
                                ctx,
                                new ApiProblem(
                                        404,
                                        "Not found",
                                        String.valueOf(e.getMessage()),
                                        "destination_id")));
        routes.exception(
                AlertNameTakenException.class,
                (e, ctx) ->
                        Problems.render(
                                ctx,
                                new ApiProblem(
                                        409, "Conflict", String.valueOf(e.getMessage()), "name")));
        routes.exception(
                NoAlertSecretKeyException.class,
                (e, ctx) ->
                        Problems.render(
                                ctx,
                                new ApiProblem(
                                        503,
                                        "Alert secrets not configured",
                                        String.valueOf(e.getMessage()),
                                        null)));
    }

    private void create(Context ctx) {
        Scope scope = auth.write(ctx);
        var spec = AlertBodies.destination(Bodies.object(ctx, AlertBodies.DESTINATION_FIELDS));
        DestinationAndSecret created = destinations.create(scope.accountId(), spec);
        ctx.status(201);
        Json.ok(ctx, AlertReplies.Destination.of(created), null);
    }

    private void list(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        Json.ok(
                ctx,
                destinations.list(scope.accountId()).stream()
                        .map(AlertReplies.Destination::of)
                        .toList(),
                null);
    }

    private void one(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        long id = id(ctx, "destination_id");
        Json.ok(
                ctx,
                AlertReplies.Destination.of(found(destinations.find(scope.accountId(), id), id)),
                null);
    }

    private void update(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = id(ctx, "destination_id");
        var spec = AlertBodies.destination(Bodies.object(ctx, AlertBodies.DESTINATION_FIELDS));
        DestinationView v = found(destinations.update(scope.accountId(), id, spec), id);
        Json.ok(ctx, AlertReplies.Destination.of(v), null);
    }

    private void delete(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = id(ctx, "destination_id");
        if (!destinations.delete(scope.accountId(), id)) {
            throw notFound("destination", id, "destination_id");
        }
        ctx.status(204);
    }

    private void rotate(Context ctx) {
        Scope scope = auth.write(ctx);
        long id = id(ctx, "destination_id");
        DestinationAndSecret rotated = found(destinations.rotateSecret(scope.accountId(), id), id);
        Json.ok(ctx, AlertReplies.Destination.of(rotated), null);
    }

    private static <T> T found(java.util.Optional<T> v, long id) {
        return v.orElseThrow(() -> notFound("destination", id, "destination_id"));
    }

    /** The path's integer id {@code name}; 400 naming it otherwise. */
    static long id(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    name, "path parameter " + name + " must be an integer, got '" + raw + "'");
        }
    }

    /** 404 for an id the account does not have (absent, or another account's: the same answer). */
    static ApiProblem notFound(String what, long id, String field) {
        return new ApiProblem(
                404, "Not found", "no alert " + what + " " + id + " in this account", field);
    }
}
