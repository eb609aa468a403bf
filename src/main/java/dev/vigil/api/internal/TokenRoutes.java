package dev.vigil.api.internal;

import dev.vigil.tokens.ApiTokens;
import dev.vigil.tokens.TokenInfo;
import dev.vigil.tokens.TokenScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Token management, admin tokens only: {@code POST /v1/tokens} issues one and answers its plaintext
 * once; {@code GET /v1/tokens} lists them without secrets; {@code DELETE /v1/tokens/{token_id}}
 * revokes one.
 */
public final class TokenRoutes {

    private final Auth auth;
    private final ApiTokens tokens;

    private TokenRoutes(Auth auth, ApiTokens tokens) {
        this.auth = auth;
        this.tokens = tokens;
    }

    public static void register(RoutesConfig routes, Auth auth, ApiTokens tokens) {
        TokenRoutes r = new TokenRoutes(auth, tokens);
        routes.post("/v1/tokens", r::create);
        routes.get("/v1/tokens", r::list);
        routes.delete("/v1/tokens/{token_id}", r::revoke);
    }

    private void create(Context ctx) {
        auth.admin(ctx);
        JsonNode body =
                Bodies.object(ctx, Set.of("name", "scope", "access", "account_ids", "expires_at"));
        String name = Bodies.text(body, "name");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiProblem.badRequest(
                    "name",
                    "field 'name' is required: 1 to 200 characters, shown in the audit log");
        }
        String rawScope = Bodies.text(body, "scope");
        TokenScope scope;
        try {
            scope = TokenScope.fromWire(rawScope == null ? "accounts" : rawScope);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("scope", "field 'scope': " + e.getMessage());
        }
        String access = Bodies.text(body, "access");
        if (access != null && !access.equals("read") && !access.equals("write")) {
            throw ApiProblem.badRequest(
                    "access", "field 'access' must be read or write, got '" + access + "'");
        }
        List<String> accounts = accounts(body);
        if (scope == TokenScope.ACCOUNTS && accounts.isEmpty()) {
            throw ApiProblem.badRequest(
                    "account_ids", "field 'account_ids' must list at least one account");
        }
        if (scope != TokenScope.ACCOUNTS && !accounts.isEmpty()) {
            throw ApiProblem.badRequest(
                    "account_ids",
                    "field 'account_ids' is only for scope accounts (a "
                            + scope.wire()
                            + " token is not scoped to accounts)");
        }
        Instant expires = Bodies.instant(body, "expires_at");
        if (expires != null && !expires.isAfter(Instant.now())) {
            throw ApiProblem.badRequest("expires_at", "field 'expires_at' must be in the future");
        }
        TokenInfo info = tokens.issue(name, scope, !"read".equals(access), accounts, expires);
        ctx.status(201);
        Json.ok(ctx, info, null);
    }

    private static List<String> accounts(JsonNode body) {
        JsonNode v = body.get("account_ids");
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw ApiProblem.badRequest("account_ids", "field 'account_ids' must be an array");
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isString() || e.stringValue().isBlank()) {
                throw ApiProblem.badRequest(
                        "account_ids[" + i + "]",
                        "field 'account_ids[" + i + "]' must be a non-empty account id");
            }
            out.add(e.stringValue());
        }
        return out;
    }

    private void list(Context ctx) {
        auth.admin(ctx);
        Json.ok(ctx, tokens.list(), null);
    }

    private void revoke(Context ctx) {
        auth.admin(ctx);
        String raw = ctx.pathParam("token_id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "token_id", "path parameter token_id must be an integer, got '" + raw + "'");
        }
        if (!tokens.revoke(id)) {
            throw new ApiProblem(404, "Not found", "no token " + id, "token_id");
        }
        ctx.status(204);
    }
}
