package dev.vigil.api.internal;

import dev.vigil.api.TokenGrant;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Function;

/** Bearer-token checks for handlers. */
public final class Auth {

    private final Function<String, Optional<TokenGrant>> tokens;

    public Auth(Function<String, Optional<TokenGrant>> tokens) {
        this.tokens = tokens;
    }

    /** The grant of the request's bearer token; 401 when absent, malformed, unknown or expired. */
    public TokenGrant grant(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized(
                    "an API token is required: send 'Authorization: Bearer <token>'");
        }
        return tokens.apply(header.substring(7).trim())
                .orElseThrow(
                        () -> ApiProblem.unauthorized("the API token is unknown or has expired"));
    }

    /** The grant, which must be a service token (403 for an account token). */
    public TokenGrant service(Context ctx) {
        TokenGrant g = grant(ctx);
        if (!g.service()) {
            throw ApiProblem.forbidden(
                    "token '"
                            + g.name()
                            + "' is scoped to accounts; this route needs a service token");
        }
        return g;
    }

    /** The grant, which must cover {@code accountId} (403 otherwise, revealing nothing of it). */
    public TokenGrant account(Context ctx, String accountId) {
        TokenGrant g = grant(ctx);
        if (!g.mayRead(accountId)) {
            throw ApiProblem.forbidden(
                    "token '" + g.name() + "' is not scoped to account '" + accountId + "'");
        }
        return g;
    }
}
