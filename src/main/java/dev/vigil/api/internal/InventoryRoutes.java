package dev.vigil.api.internal;

import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Managing the inventory, admin tokens only (an operator's action, like managing tokens): add an
 * account or a zone ({@code POST /v1/accounts}, {@code POST /v1/zones}), change its name or plan
 * ({@code PUT}), delete it ({@code DELETE}). An added target gets its first due time drawn inside
 * its interval, like an imported one. Deleting stops the target's scans ({@code deleted_at}; an
 * account takes its zones with it) and resolves its open insights, each with an audit row naming
 * the token.
 */
public final class InventoryRoutes {

    private static final int MAX_ID = 200;
    private static final int MAX_NAME = 1_000;

    private final Auth auth;
    private final Jdbi jdbi;
    private final Inventory inventory;

    private InventoryRoutes(Auth auth, Jdbi jdbi, Inventory inventory) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.inventory = inventory;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi, Inventory inventory) {
        InventoryRoutes r = new InventoryRoutes(auth, jdbi, inventory);
        routes.post("/v1/accounts", r::addAccount);
        routes.put("/v1/accounts/{account_id}", ctx -> r.change(ctx, TargetKind.ACCOUNT));
        routes.delete("/v1/accounts/{account_id}", ctx -> r.delete(ctx, TargetKind.ACCOUNT));
        routes.post("/v1/zones", r::addZone);
        routes.put("/v1/zones/{zone_id}", ctx -> r.change(ctx, TargetKind.ZONE));
        routes.delete("/v1/zones/{zone_id}", ctx -> r.delete(ctx, TargetKind.ZONE));
    }

    private void addAccount(Context ctx) {
        auth.admin(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("account_id", "name", "plan"));
        String id = id(body, "account_id");
        Target t =
                Target.account(
                        id, required(name(body, true), "name"), required(plan(body, true), "plan"));
        refuseTaken(id);
        inventory.upsert(List.of(t));
        ctx.status(201);
        Json.ok(ctx, view(id), null);
    }

    private void addZone(Context ctx) {
        auth.admin(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("zone_id", "account_id", "name", "plan"));
        String id = id(body, "zone_id");
        String account = id(body, "account_id");
        Target t =
                Target.zone(
                        id,
                        account,
                        required(name(body, true), "name"),
                        required(plan(body, true), "plan"));
        if (live(account).filter(a -> a.kind() == TargetKind.ACCOUNT).isEmpty()) {
            throw ApiProblem.badRequest(
                    "account_id",
                    "no account '" + account + "' in the inventory: add it with POST /v1/accounts");
        }
        refuseTaken(id);
        inventory.upsert(List.of(t));
        ctx.status(201);
        Json.ok(ctx, view(id), null);
    }

    private void change(Context ctx, TargetKind kind) {
        auth.admin(ctx);
        String id = pathId(ctx, kind);
        JsonNode body = Bodies.object(ctx, Set.of("name", "plan"));
        Target old = live(id).filter(t -> t.kind() == kind).orElseThrow(() -> notFound(kind, id));
        String name = name(body, false);
        Plan plan = plan(body, false);
        inventory.upsert(
                List.of(
                        new Target(
                                old.targetId(),
                                old.kind(),
                                old.accountId(),
                                old.zoneId(),
                                name == null ? old.name() : name,
                                plan == null ? old.plan() : plan)));
        Json.ok(ctx, view(id), null);
    }

    private void delete(Context ctx, TargetKind kind) {
        String actor = auth.admin(ctx).name();
        String id = pathId(ctx, kind);
        Target t = live(id).filter(x -> x.kind() == kind).orElseThrow(() -> notFound(kind, id));
        FleetSync.of(jdbi, inventory).retire(t, actor, "target deleted");
        ctx.status(204);
    }

    private Optional<Target> live(String id) {
        return inventory.find(id);
    }

    private void refuseTaken(String id) {
        if (live(id).isPresent()) {
            throw new ApiProblem(
                    409,
                    "Conflict",
                    "target '" + id + "' is already in the inventory: change it with PUT",
                    null);
        }
    }

    private static ApiProblem notFound(TargetKind kind, String id) {
        return new ApiProblem(
                404,
                "Not found",
                "no " + kind.wire() + " '" + id + "' in the inventory",
                kind == TargetKind.ACCOUNT ? "account_id" : "zone_id");
    }

    private static String pathId(Context ctx, TargetKind kind) {
        return ctx.pathParam(kind == TargetKind.ACCOUNT ? "account_id" : "zone_id");
    }

    private static String id(JsonNode body, String field) {
        String s = Bodies.text(body, field);
        if (s == null
                || s.isBlank()
                || s.length() > MAX_ID
                || !s.equals(s.strip())
                || s.chars()
                        .anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw ApiProblem.badRequest(
                    field,
                    "field '"
                            + field
                            + "' is required: 1 to "
                            + MAX_ID
                            + " characters without spaces or control characters");
        }
        return s;
    }

    private static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw ApiProblem.badRequest(field, "field '" + field + "' is required");
        }
        return value;
    }

    private static @Nullable String name(JsonNode body, boolean required) {
        String s = Bodies.text(body, "name");
        if ((s == null && required) || (s != null && (s.isBlank() || s.length() > MAX_NAME))) {
            throw ApiProblem.badRequest(
                    "name", "field 'name' is required: 1 to " + MAX_NAME + " characters");
        }
        return s;
    }

    private static @Nullable Plan plan(JsonNode body, boolean required) {
        String s = Bodies.text(body, "plan");
        if (s == null) {
            if (required) {
                throw ApiProblem.badRequest(
                        "plan", "field 'plan' is required: free, pro, business or enterprise");
            }
            return null;
        }
        try {
            return Plan.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("plan", "field 'plan': " + e.getMessage());
        }
    }

    /**
     * A target as the inventory routes answer it.
     *
     * @param zoneId null for an account
     */
    record TargetView(
            String targetId,
            String kind,
            String accountId,
            @Nullable String zoneId,
            String name,
            String plan,
            Instant nextDueAt,
            Instant createdAt) {}

    private TargetView view(String id) {
        Inventory.Registration r =
                inventory
                        .registration(id)
                        .orElseThrow(() -> new IllegalStateException("target " + id + " vanished"));
        Target t = r.target();
        return new TargetView(
                t.targetId(),
                t.kind().wire(),
                t.accountId(),
                t.zoneId(),
                t.name(),
                t.plan().wire(),
                r.nextDueAt(),
                r.createdAt());
    }
}
