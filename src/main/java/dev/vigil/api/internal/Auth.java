package dev.vigil.api.internal;

import dev.vigil.tokens.TokenGrant;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Bearer-token checks for handlers. */
public final class Auth {

    private final Function<String, Optional<TokenGrant>> tokens;
    private final Function<String, Optional<String>> zoneAccounts;
    private final int perTokenPerMinute;
    private final @Nullable AccountRateLimit rate;

    /**
     * Without a per-token rate limit.
     *
     * @param tokens the grant of a plaintext token, if valid
     * @param zoneAccounts the account owning a zone, if the zone exists
     */
    public Auth(
            Function<String, Optional<TokenGrant>> tokens,
            Function<String, Optional<String>> zoneAccounts) {
        this(tokens, zoneAccounts, 0);
    }

    /**
     * @param perTokenPerMinute requests a minute each token may make on the public routes (a token
     *     bucket per token, keyed by the token's hash, holding a minute's worth); 0 for no limit.
     *     The internal routes ({@link #service}) are not limited: the workers' own concurrency
     *     bounds them, and throttling them would only delay results. A service token reading the
     *     public routes is limited like any other.
     */
    public Auth(
            Function<String, Optional<TokenGrant>> tokens,
            Function<String, Optional<String>> zoneAccounts,
            int perTokenPerMinute) {
        this.tokens = tokens;
        this.zoneAccounts = zoneAccounts;
        this.perTokenPerMinute = perTokenPerMinute;
        this.rate =
                perTokenPerMinute > 0
                        ? new AccountRateLimit(perTokenPerMinute, System::nanoTime)
                        : null;
    }

    /**
     * The grant of the request's bearer token for a public route; 401 when absent, malformed,
     * unknown or expired, 429 with {@code Retry-After} when the token made too many requests this
     * minute.
     */
    public TokenGrant grant(Context ctx) {
        String token = bearer(ctx);
        TokenGrant g = authenticate(token);
        limit(ctx, token, g);
        return g;
    }

    /** The bearer token of the request; 401 when the header is absent or not a bearer token. */
    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized(
                    "an API token is required: send 'Authorization: Bearer <token>'");
        }
        return header.substring(7).trim();
    }

    private TokenGrant authenticate(String token) {
        return tokens.apply(token)
                .orElseThrow(
                        () -> ApiProblem.unauthorized("the API token is unknown or has expired"));
    }

    /** 429 with {@code Retry-After} when {@code token} has spent this minute's requests. */
    private void limit(Context ctx, String token, TokenGrant g) {
        AccountRateLimit limit = rate;
        if (limit != null) {
            long wait = limit.acquire(hash(token));
            if (wait > 0) {
                ctx.header("Retry-After", Long.toString(wait));
                throw new ApiProblem(
                        429,
                        "Too many requests",
                        "token '"
                                + g.name()
                                + "' may make "
                                + perTokenPerMinute
                                + " requests a minute (cap requests_per_token_per_minute);"
                                + " retry in "
                                + wait
                                + " s",
                        null);
            }
        }
    }

    /** The bucket key: the token's SHA-256, so the limiter never holds a plaintext token. */
    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The grant of an internal route, which must be a service token (403 otherwise); not rate
     * limited (see the constructor).
     */
    public TokenGrant service(Context ctx) {
        TokenGrant g = authenticate(bearer(ctx));
        if (!g.service()) {
            throw ApiProblem.forbidden(
                    "token '"
                            + g.name()
                            + "' is not a service token; this route needs a service token");
        }
        return g;
    }

    /** The grant, which must be an admin token (403 otherwise). */
    public TokenGrant admin(Context ctx) {
        TokenGrant g = grant(ctx);
        if (!g.admin()) {
            throw ApiProblem.forbidden(
                    "token '"
                            + g.name()
                            + "' is not an admin token; this route needs an admin token");
        }
        return g;
    }

    /**
     * The scope named by the path ({@code account_id} or {@code zone_id}), which the token must
     * see: 403 for an account it does not cover, 404 for a zone it cannot see (whether the zone
     * exists elsewhere is not revealed), 403 when {@code write} for a read token and for a service
     * token (which reads every account and changes none).
     */
    public Scope scope(Context ctx, boolean write) {
        return scope(ctx, grant(ctx), write);
    }

    /**
     * {@link #scope(Context, boolean)} with the grant already {@link #grant read} for {@code ctx}.
     */
    public Scope scope(Context ctx, TokenGrant g, boolean write) {
        String zoneId = ctx.pathParamMap().get("zone_id");
        String accountId;
        if (zoneId != null) {
            accountId =
                    zoneAccounts
                            .apply(zoneId)
                            .filter(g::mayRead)
                            .orElseThrow(() -> zoneNotVisible(zoneId, g));
        } else {
            accountId = ctx.pathParam("account_id");
            if (!g.mayRead(accountId)) {
                throw ApiProblem.forbidden(
                        "token '" + g.name() + "' is not scoped to account '" + accountId + "'");
            }
        }
        if (write && !g.mayWrite(accountId)) {
            throw ApiProblem.forbidden(
                    g.service()
                            ? "token '"
                                    + g.name()
                                    + "' is a service token, which calls the internal API and"
                                    + " reads; this route changes data and needs a write token"
                                    + " of account '"
                                    + accountId
                                    + "'"
                            : "token '" + g.name() + "' is read-only; this route changes data");
        }
        return new Scope(accountId, zoneId, g.name(), g.mayWrite(accountId));
    }

    /**
     * The 404 for a zone {@code g} cannot see: the same answer whether the zone is missing or
     * another tenant's, so that neither is revealed.
     */
    static ApiProblem zoneNotVisible(String zoneId, TokenGrant g) {
        return new ApiProblem(
                404,
                "Not found",
                "no zone '" + zoneId + "' visible to token '" + g.name() + "'",
                "zone_id");
    }

    /** {@link #scope(Context, boolean)} for reading. */
    public Scope read(Context ctx) {
        return scope(ctx, false);
    }

    /** {@link #scope(Context, boolean)} for changing. */
    public Scope write(Context ctx) {
        return scope(ctx, true);
    }
}
