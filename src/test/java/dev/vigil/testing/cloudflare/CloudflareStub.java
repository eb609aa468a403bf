package dev.vigil.testing.cloudflare;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the Cloudflare API v4 on 127.0.0.1 (free port), serving a {@link StubFleet} with
 * the published envelope, paging, authentication errors and rate-limit headers, plus {@link Faults}
 * a test turns on while it runs. Requests are handled on virtual threads; the request log and the
 * rate window are guarded by their own locks, so tests may read {@link #requests()} while a client
 * is busy.
 *
 * <p>Each request goes through, in order: authentication (400 for a missing or malformed {@code
 * Authorization: Bearer}, 403 for an unknown token), injected 429s ({@link Faults#rateLimit}), the
 * per-token sliding window (429, the refused request not counted), injected delay, injected server
 * errors and 403s, the method (only GET; any other 405), then the route. Every answer carries
 * {@code Ratelimit} and {@code Ratelimit-Policy} headers in the form Cloudflare sends.
 */
public final class CloudflareStub implements AutoCloseable {

    /** One request as the stub saw it; {@code path} is after {@code /client/v4}. */
    public record StubRequest(
            Instant at, String method, String path, String query, int status, String token) {}

    static final String PREFIX = "/client/v4";

    private static final Pattern BEARER = Pattern.compile("Bearer ([A-Za-z0-9_\\-]+)");

    private final Javalin app;
    private final StubFleet fleet;
    private final Faults faults = new Faults();
    private final RateWindow window = new RateWindow();
    private final StubRoutes routes;
    private final List<StubRequest> log = new ArrayList<>();

    private CloudflareStub(StubFleet fleet) {
        this.fleet = fleet;
        this.routes = new StubRoutes(fleet, faults);
        this.app =
                Javalin.create(
                        cfg -> {
                            cfg.concurrency.useVirtualThreads = true;
                            cfg.startup.showJavalinBanner = false;
                            cfg.jetty.host = "127.0.0.1";
                            cfg.jetty.port = 0;
                            for (HandlerType t :
                                    List.of(
                                            HandlerType.GET,
                                            HandlerType.POST,
                                            HandlerType.PUT,
                                            HandlerType.PATCH,
                                            HandlerType.DELETE)) {
                                cfg.routes.addHttpHandler(t, "/*", this::handle);
                            }
                        });
    }

    /** Starts serving {@code fleet}; returns once bound. */
    public static CloudflareStub start(StubFleet fleet) {
        CloudflareStub stub = new CloudflareStub(fleet);
        stub.app.start();
        return stub;
    }

    /** {@code http://127.0.0.1:PORT/client/v4}, the API base a client is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + app.port() + PREFIX;
    }

    public StubFleet fleet() {
        return fleet;
    }

    public Faults faults() {
        return faults;
    }

    /** A copy of the request log, oldest first. */
    public List<StubRequest> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Empties the request log and the rate window. */
    public void clearLog() {
        synchronized (log) {
            log.clear();
        }
        window.clear();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void handle(Context ctx) throws InterruptedException {
        Instant at = Instant.now();
        String full = ctx.path();
        String path = full.startsWith(PREFIX) ? full.substring(PREFIX.length()) : full;
        String query = ctx.queryString() == null ? "" : ctx.queryString();
        String method = ctx.method().name();
        String header = ctx.header("Authorization");
        String token = "";
        if (header != null) {
            Matcher m = BEARER.matcher(header.strip());
            token = m.matches() ? m.group(1) : "";
        }
        Reply reply = answer(ctx, full, path, method, header, token);
        synchronized (log) {
            log.add(new StubRequest(at, method, path, query, reply.status(), token));
        }
        ctx.status(reply.status());
        ctx.contentType(reply.contentType());
        if (reply.retryAfter() >= 0) {
            ctx.header("Retry-After", Integer.toString(reply.retryAfter()));
        }
        ctx.result(reply.body());
    }

    private Reply answer(
            Context ctx,
            String full,
            String path,
            String method,
            @Nullable String header,
            String token)
            throws InterruptedException {
        long now = System.nanoTime();
        if (header == null) {
            headers(ctx, window.peek("", faults.limit(), faults.window(), now));
            return Reply.errors(
                    400, 9106, "Missing X-Auth-Email header", 9107, "Missing X-Auth-Key header");
        }
        if (token.isEmpty()) {
            headers(ctx, window.peek("", faults.limit(), faults.window(), now));
            return Reply.chained(
                    400,
                    6003,
                    "Invalid request headers",
                    6111,
                    "Invalid format for Authorization header");
        }
        if (!fleet.acceptsToken(token)) {
            headers(ctx, window.peek("", faults.limit(), faults.window(), now));
            return Reply.error(403, 9109, "Invalid access token");
        }
        if (faults.throttle(path).orElse(null) instanceof Faults.Injected.Throttled t) {
            headers(ctx, window.peek(token, faults.limit(), faults.window(), now));
            return Reply.throttled(t.retryAfterSeconds());
        }
        RateWindow.Admission admission =
                window.acquire(token, faults.limit(), faults.window(), now);
        headers(ctx, admission);
        if (!admission.admitted()) {
            return Reply.throttled((int) admission.resetSeconds());
        }
        Duration delay = faults.delay(path);
        if (delay.isPositive()) {
            Thread.sleep(delay);
        }
        var injected = faults.failure(path);
        if (injected.isPresent()) {
            return switch (injected.get()) {
                case Faults.Injected.Forbidden f -> Reply.error(403, 10000, "Authentication error");
                case Faults.Injected.ServerError e ->
                        e.html()
                                ? Reply.badGatewayPage()
                                : Reply.error(500, 10001, "Internal server error");
                case Faults.Injected.Throttled t -> Reply.throttled(t.retryAfterSeconds());
            };
        }
        if (!full.startsWith(PREFIX + "/")) {
            return Reply.error(404, 7000, "No route for that URI");
        }
        if (!method.equals("GET")) {
            // The stub is read-only: every write the real API offers is refused alike.
            return Reply.error(405, 10405, "Method " + method + " not allowed");
        }
        Map<String, List<String>> params = ctx.queryParamMap();
        return routes.answer(path, params);
    }

    private static void headers(Context ctx, RateWindow.Admission a) {
        ctx.header("Ratelimit", a.rateLimitHeader());
        ctx.header("Ratelimit-Policy", a.policyHeader());
    }
}
