package dev.vigil.api.internal;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check catalogue's metadata, for any valid token (it is product documentation, not tenant
 * data): {@code GET /v1/checks} and {@code GET /v1/checks/{check_id}} answer what a check finds,
 * why it matters and how to fix it. Checks added at run time from a rules directory are known to
 * the workers only; an insight of such a check has no entry here (404).
 */
final class CheckRoutes {

    private final Auth auth;
    private final RuleSet rules;

    private CheckRoutes(Auth auth, RuleSet rules) {
        this.auth = auth;
        this.rules = rules;
    }

    static void register(RoutesConfig routes, Auth auth) {
        CheckRoutes r = new CheckRoutes(auth, RuleSets.catalogue());
        routes.get("/v1/checks", r::list);
        routes.get("/v1/checks/{check_id}", r::one);
    }

    private void list(Context ctx) {
        auth.grant(ctx);
        OverviewRoutes.only(ctx, Set.of());
        List<Map<String, Object>> checks = rules.checks().stream().map(CheckRoutes::view).toList();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("count", checks.size());
        info.put("rule_set_version", rules.version());
        Json.ok(ctx, checks, info);
    }

    private void one(Context ctx) {
        auth.grant(ctx);
        OverviewRoutes.only(ctx, Set.of());
        String id = ctx.pathParam("check_id");
        CheckDefinition c =
                rules.check(id)
                        .orElseThrow(
                                () ->
                                        new ApiProblem(
                                                404,
                                                "Not found",
                                                "no check '"
                                                        + id
                                                        + "' in the catalogue (GET /v1/checks lists"
                                                        + " them)",
                                                "check_id"));
        Json.ok(ctx, view(c), null);
    }

    private static Map<String, Object> view(CheckDefinition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("applies_to", c.appliesTo().wire());
        m.put("title", c.title());
        m.put("description", c.description());
        m.put("issue_type", c.issueType().wire());
        m.put("severity", c.severity().wire());
        m.put("risk", c.risk().strip());
        m.put("remediation_steps", c.remediationSteps());
        m.put("remediation_link", c.remediationLink());
        m.put("references", c.references());
        m.put("compliance", c.compliance());
        return m;
    }
}
