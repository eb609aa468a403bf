package dev.vigil.api.internal;

import dev.vigil.api.ScanRequester;
import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSetException;
import dev.vigil.inventory.Inventory;
import dev.vigil.tokens.TokenGrant;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The rule rollout's routes (issue 23; docs/rules.md, "Rolling out rule changes"). Admin tokens
 * only, as a rule set changes every tenant's insights: push a set ({@code POST /v1/rule-sets}),
 * list them with the rollout and the workers, read the shadow diff, shadow, promote and roll back,
 * read the rollout's audit entries. The workers' side, with their service token: the sync ({@code
 * POST /internal/v1/rule-rollout/sync}: report in, rollout out) and a version's files.
 */
public final class RuleSetRoutes {
    private static final org.slf4j.Logger log =
            org.slf4j.LoggerFactory.getLogger(RuleSetRoutes.class);

    private final Auth auth;
    private final RuleSetStore store;
    private final RolloutReports reports;
    private final ShadowDiffs diffs;
    private final Jdbi jdbi;

    private RuleSetRoutes(Auth auth, RuleSetStore store, RolloutReports reports, Jdbi jdbi) {
        this.auth = auth;
        this.store = store;
        this.reports = reports;
        this.diffs = new ShadowDiffs(jdbi, store);
        this.jdbi = jdbi;
    }

    /**
     * Registers the routes; rollbacks re-evaluate their targets through {@code requester} (null
     * without Kafka: the re-evaluation waits for an API that has it).
     */
    public static void register(
            RoutesConfig routes,
            Auth auth,
            Jdbi jdbi,
            Inventory inventory,
            @Nullable ScanRequester requester) {
        RuleSetStore store = new RuleSetStore(jdbi);
        RuleSetRoutes r =
                new RuleSetRoutes(
                        auth, store, new RolloutReports(jdbi, store, inventory, requester), jdbi);
        routes.post("/v1/rule-sets", r::push);
        routes.get("/v1/rule-sets", r::list);
        routes.get("/v1/rule-sets/rollout", r::rollout);
        routes.get("/v1/rule-sets/audit", r::audit);
        routes.post("/v1/rule-sets/rollback", r::rollback);
        routes.get("/v1/rule-sets/{version}/diff", r::diff);
        routes.post("/v1/rule-sets/{version}/shadow", r::shadow);
        routes.post("/v1/rule-sets/{version}/promote", r::promote);
        routes.post("/internal/v1/rule-rollout/sync", r::sync);
        routes.get("/internal/v1/rule-sets/{version}", r::files);
    }

    private void push(Context ctx) {
        TokenGrant g = auth.admin(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("files"));
        JsonNode files = body.get("files");
        if (files == null || !files.isArray()) {
            throw ApiProblem.badRequest(
                    "files", "field 'files' is required: a list of {name, text} (may be empty)");
        }
        List<RuleFile> out = new ArrayList<>();
        for (JsonNode f : files) {
            JsonNode name = f.get("name");
            JsonNode text = f.get("text");
            if (name == null || !name.isString() || text == null || !text.isString()) {
                throw ApiProblem.badRequest(
                        "files", "each of 'files' must be an object with string 'name' and 'text'");
            }
            out.add(new RuleFile(name.stringValue(), text.stringValue()));
        }
        RuleSetStore.Registered r;
        try {
            r = store.register(out, g.name());
        } catch (RuleSetException e) {
            throw new ApiProblem(422, "Rule set refused", String.valueOf(e.getMessage()), "files");
        }
        ctx.status(r.created() ? 201 : 200);
        Json.ok(ctx, r, null);
    }

    /** The stored sets, the rollout in force and the workers' versions. */
    record Overview(
            List<RuleSetStore.SetInfo> ruleSets, RolloutState rollout, List<WorkerInfo> workers) {}

    /** A worker process as of its last sync. */
    record WorkerInfo(
            String workerId, long generation, List<String> versions, java.time.Instant seenAt) {}

    private void list(Context ctx) {
        auth.admin(ctx);
        Json.ok(ctx, new Overview(store.list(), store.state(), workers()), null);
    }

    private void rollout(Context ctx) {
        auth.admin(ctx);
        Json.ok(ctx, new Overview(List.of(), store.state(), workers()), null);
    }

    private List<WorkerInfo> workers() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select worker_id, generation, versions, seen_at
                                          from rule_workers
                                         where seen_at > now() - interval '1 hour'
                                         order by worker_id
                                        """)
                                .map(
                                        (rs, c) ->
                                                new WorkerInfo(
                                                        rs.getString("worker_id"),
                                                        rs.getLong("generation"),
                                                        List.of(
                                                                (String[])
                                                                        rs.getArray("versions")
                                                                                .getArray()),
                                                        rs.getObject(
                                                                        "seen_at",
                                                                        java.time.OffsetDateTime
                                                                                .class)
                                                                .toInstant()))
                                .list());
    }

    private void audit(Context ctx) {
        auth.admin(ctx);
        Json.ok(
                ctx,
                RolloutAudit.entries(jdbi, InsightFilter.integer(ctx, "per_page", 100, 1, 1_000)),
                null);
    }

    private void diff(Context ctx) {
        auth.admin(ctx);
        String v = ctx.pathParam("version");
        if (store.files(v).isEmpty()) {
            throw new ApiProblem(
                    404, "Not found", "no rule set with version '" + v + "' was pushed", "version");
        }
        Json.ok(ctx, diffs.diff(v), null);
    }

    private void shadow(Context ctx) {
        TokenGrant g = auth.admin(ctx);
        Json.ok(ctx, store.shadow(ctx.pathParam("version"), g.name()), null);
    }

    private void promote(Context ctx) {
        TokenGrant g = auth.admin(ctx);
        JsonNode body =
                Bodies.object(
                        ctx,
                        Set.of(
                                "percent",
                                "min_targets",
                                "max_error_rate",
                                "max_opened_per_target",
                                "max_eval_time_ratio"));
        JsonNode p = body.get("percent");
        if (p == null || !p.isIntegralNumber()) {
            throw ApiProblem.badRequest("percent", "field 'percent' is required: 1, 10, 50 or 100");
        }
        RolloutGuards d = RolloutGuards.DEFAULTS;
        RolloutGuards guards =
                new RolloutGuards(
                        (int) number(body, "min_targets", d.minTargets(), 1, 1_000_000),
                        number(body, "max_error_rate", d.maxErrorRate(), 0, 1),
                        number(body, "max_opened_per_target", d.maxOpened(), 0, 1_000_000),
                        number(body, "max_eval_time_ratio", d.maxEvalRatio(), 1, 1_000));
        Json.ok(ctx, store.promote(ctx.pathParam("version"), p.asInt(), guards, g.name()), null);
    }

    private static double number(JsonNode body, String name, double def, double min, double max) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw ApiProblem.badRequest(
                    name, "field '" + name + "' must be a number from " + min + " to " + max);
        }
        return v.asDouble();
    }

    private void rollback(Context ctx) {
        TokenGrant g = auth.admin(ctx);
        JsonNode body = Bodies.object(ctx, Set.of("reason"));
        String reason = Bodies.text(body, "reason");
        Json.ok(
                ctx,
                store.rollback(
                        reason == null || reason.isBlank() ? "rolled back by hand" : reason,
                        g.name(),
                        null),
                null);
    }

    private void sync(Context ctx) {
        auth.service(ctx);
        JsonNode body =
                Bodies.object(
                        ctx,
                        Set.of(
                                "worker_id",
                                "generation",
                                "versions",
                                "shadow",
                                "examples",
                                "cohorts"));
        reports.record(body);
        // The worker needs the rollout whatever happens to the supervision: a failing guard
        // check or re-evaluation is logged and tried again at the next sync, never answered.
        try {
            reports.guard();
            reports.reevaluate();
        } catch (RuntimeException e) {
            log.error("rule rollout: guard check or re-evaluation failed: {}", e.toString(), e);
        }
        Json.ok(ctx, store.state().forWorkers(), null);
    }

    /** A stored version's files, for the workers. */
    record Files(String version, List<RuleFile> files) {}

    private void files(Context ctx) {
        auth.service(ctx);
        String v = ctx.pathParam("version");
        List<RuleFile> f =
                store.files(v)
                        .orElseThrow(
                                () ->
                                        new ApiProblem(
                                                404,
                                                "Not found",
                                                "no rule set with version '" + v + "'",
                                                "version"));
        Json.ok(ctx, new Files(v, f), null);
    }
}
