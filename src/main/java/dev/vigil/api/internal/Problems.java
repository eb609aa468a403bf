package dev.vigil.api.internal;

import dev.vigil.results.MalformedResultException;
import dev.vigil.results.TooManyFindingsException;
import dev.vigil.results.UnknownTargetException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to an RFC 9457 {@code application/problem+json} response. */
public final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    /** What a 503 for an unreachable database asks clients to wait: about a pool timeout. */
    static final long RETRY_AFTER_SECONDS = 2;

    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    /** The 400 of a malformed result, naming the request field at fault. */
    static ApiProblem malformed(MalformedResultException e) {
        return ApiProblem.badRequest(requestField(e.field()), String.valueOf(e.getMessage()));
    }

    /** Registers the exception and error handlers on {@code routes}. */
    public static void register(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (e, ctx) -> render(ctx, e));
        routes.exception(MalformedResultException.class, (e, ctx) -> render(ctx, malformed(e)));
        routes.exception(
                TooManyFindingsException.class,
                (e, ctx) ->
                        render(
                                ctx,
                                new ApiProblem(
                                        413,
                                        "Too many findings",
                                        String.valueOf(e.getMessage()),
                                        "findings")));
        routes.exception(
                UnknownTargetException.class,
                (e, ctx) ->
                        render(
                                ctx,
                                new ApiProblem(
                                        404,
                                        "Unknown target",
                                        String.valueOf(e.getMessage()),
                                        "target_id")));
        routes.exception(
                HttpResponseException.class,
                (e, ctx) ->
                        render(
                                ctx,
                                switch (e.getStatus()) {
                                    case 404 ->
                                            new ApiProblem(
                                                    404,
                                                    "Not found",
                                                    "no route for "
                                                            + ctx.method()
                                                            + " "
                                                            + ctx.path(),
                                                    null);
                                    case 405 -> methodNotAllowed(ctx, e);
                                    case 413 ->
                                            new ApiProblem(
                                                    413,
                                                    "Body too large",
                                                    String.valueOf(e.getMessage()),
                                                    "body");
                                    default ->
                                            new ApiProblem(
                                                    e.getStatus(),
                                                    "Request refused",
                                                    String.valueOf(e.getMessage()),
                                                    null);
                                }));
        routes.exception(Exception.class, Problems::unexpected);
        routes.error(
                404,
                ctx -> {
                    if (!isProblem(ctx)) {
                        render(
                                ctx,
                                new ApiProblem(
                                        404,
                                        "Not found",
                                        "no route for " + ctx.method() + " " + ctx.path(),
                                        null));
                    }
                });
        routes.error(
                405,
                ctx -> {
                    if (!isProblem(ctx)) {
                        render(
                                ctx,
                                new ApiProblem(
                                        405,
                                        "Method not allowed",
                                        ctx.method() + " is not allowed on " + ctx.path(),
                                        null));
                    }
                });
    }

    /**
     * A route exists for the path but not for the method (Javalin's {@code prefer405over404}): 405
     * with {@code Allow} listing the methods that do exist (RFC 9110 §15.5.6).
     */
    private static ApiProblem methodNotAllowed(Context ctx, HttpResponseException e) {
        String allowed = e.getDetails().values().stream().findFirst().orElse("").replace(" ", "");
        allowed = String.join(", ", allowed.split(","));
        ctx.header("Allow", allowed);
        return new ApiProblem(
                405,
                "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allowed,
                null);
    }

    /**
     * A results body's field as the route names fields elsewhere ({@code findings[0].message}): the
     * parser names the place of a syntax error as a JSON pointer ({@code /findings/0/message}), and
     * the whole body as {@code $}.
     */
    static String requestField(String field) {
        if (field.equals("$") || field.isEmpty()) {
            return "body";
        }
        if (!field.startsWith("/")) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (String part : field.substring(1).split("/", -1)) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && !out.isEmpty()) {
                out.append('[').append(name).append(']');
            } else {
                out.append(out.isEmpty() ? "" : ".").append(name);
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(CONTENT_TYPE);
    }

    private static void unexpected(Exception e, Context ctx) {
        if (databaseUnavailable(e)) {
            // The pool gave up after its connection timeout, or a pooled session died with the
            // server: a restart or failover, not a bug. Say when to come back instead of a 500.
            ctx.header("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            render(
                    ctx,
                    new ApiProblem(
                            503,
                            "Database unavailable",
                            "the database is unreachable ("
                                    + rootMessage(e)
                                    + "); retry in "
                                    + RETRY_AFTER_SECONDS
                                    + " s",
                            null));
            return;
        }
        String state = sqlState(e);
        if (UNSTORABLE_TEXT.contains(state)) {
            // A value PostgreSQL's UTF-8 text cannot hold (NUL) that reached a statement: the
            // request's fault, and nothing was written (the statement failed, its transaction
            // rolled back).
            render(
                    ctx,
                    ApiProblem.badRequest(
                            "body",
                            "a value holds a character the database cannot store (such as"
                                    + " U+0000): remove it and retry"));
            return;
        }
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        render(
                ctx,
                new ApiProblem(
                        500,
                        "Internal error",
                        "unexpected failure: " + e.getClass().getName(),
                        null));
    }

    /** SQLSTATEs of text PostgreSQL refuses: invalid byte sequence, untranslatable character. */
    private static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    /**
     * True when {@code e} says the database cannot be reached right now: the pool timed out waiting
     * for a connection ({@link SQLTransientConnectionException}), or the server ended or refused
     * the session (SQLSTATE class 08, connection exception; 57P01–57P03, shutting down or starting
     * up).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Writes {@code p} as the response. */
    public static void render(Context ctx, ApiProblem p) {
        ProblemBody body =
                new ProblemBody(
                        ProblemBody.ABOUT_BLANK,
                        p.title(),
                        p.status(),
                        p.getMessage(),
                        ctx.path(),
                        p.field());
        if (p.status() == 401) {
            // RFC 9110 §11.6.1 asks every 401 to say how to authenticate; RFC 6750 §3 adds
            // error="invalid_token" when a token was sent but is not accepted.
            ctx.header(
                    "WWW-Authenticate",
                    ctx.header("Authorization") == null
                            ? "Bearer realm=\"vigil\""
                            : "Bearer realm=\"vigil\", error=\"invalid_token\"");
        }
        ctx.status(p.status()).contentType(CONTENT_TYPE).result(Json.bytes(body));
    }
}
