package dev.vigil.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the dashboard's files from the classpath ({@code dashboard/}) at {@code /dashboard/...},
 * and redirects {@code /} there. The files are read once at registration and served from memory
 * with a strong ETag, {@code Cache-Control: no-cache} (the browser revalidates, and gets a 304
 * while the file is unchanged, so a new release is picked up at once) and a strict
 * Content-Security-Policy: only this origin's scripts, styles, images and API, no inline code, no
 * framing.
 */
public final class DashboardRoutes {

    /** Every file of the dashboard; a test checks this list against the resource directory. */
    public static final List<String> FILES =
            List.of(
                    "index.html",
                    "app.css",
                    "app.js",
                    "api.js",
                    "dom.js",
                    "checks.js",
                    "chart.js",
                    "scan.js",
                    "focus.js",
                    "overview.js",
                    "insights.js",
                    "filters.js",
                    "insight.js",
                    "alerts.js",
                    "alert-forms.js",
                    "alert-log.js",
                    "series-chart.js",
                    "history.js",
                    "changes.js",
                    "compliance.js",
                    "fleet.js",
                    "fleet-insights.js",
                    "favicon.svg");

    /** The policy of every dashboard answer. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                    + " connect-src 'self'; form-action 'none'; frame-ancestors 'none';"
                    + " base-uri 'none'";

    private static final String PREFIX = "/dashboard/";

    // Read once at start and served as they are; never compared, so array identity is harmless.
    @SuppressWarnings("ArrayRecordComponent")
    private record Asset(byte[] body, String contentType, String etag) {}

    private final Map<String, Asset> assets;

    private DashboardRoutes(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * Registers {@code GET /}, {@code GET /dashboard/} and {@code GET /dashboard/{file}} on {@code
     * cfg}; pass as an extra registration to {@code ApiServer.start}.
     *
     * @throws IllegalStateException when a file of {@link #FILES} is missing from the classpath
     */
    public static void register(JavalinConfig cfg) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String f : FILES) {
            assets.put(f, load(f));
        }
        DashboardRoutes r = new DashboardRoutes(Map.copyOf(assets));
        cfg.routes.get("/", ctx -> ctx.redirect(PREFIX, HttpStatus.FOUND));
        // Javalin ignores trailing slashes: this serves /dashboard and /dashboard/ alike.
        cfg.routes.get(PREFIX, ctx -> r.serve(ctx, "index.html"));
        cfg.routes.get(PREFIX + "{file}", ctx -> r.serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String name) {
        Asset a = assets.get(name);
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache");
        if (a == null) {
            ctx.status(404)
                    .contentType("text/plain; charset=utf-8")
                    .result("no dashboard file '" + name + "'");
            return;
        }
        ctx.header("ETag", a.etag());
        if (a.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.contentType()).result(a.body());
    }

    private static Asset load(String name) {
        String path = "dashboard/" + name;
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "dashboard file '"
                                + path
                                + "' is not on the classpath: rebuild the jar, or remove it from"
                                + " DashboardRoutes.FILES");
            }
            byte[] body = in.readAllBytes();
            String etag =
                    "\""
                            + HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                                    .substring(0, 20)
                            + "\"";
            return new Asset(body, contentType(name), etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file '" + path + "'", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }
}
