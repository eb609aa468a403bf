package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.telemetry.Tracing;
import java.net.URI;
import java.time.Duration;

/**
 * Pushed snapshots: documents stored by the API ({@code POST /v1/.../config}), read back through
 * the API's internal route {@code GET /internal/v1/targets/{target_id}/config[?version=N]} with the
 * workers' service token, because workers hold no database credentials.
 *
 * <p>{@link #fetch(Target)} reads the newest stored version, {@link #fetch(Target, long)} one exact
 * version (what a config-change event names). Verdicts are {@link HttpConfigSource}'s: 404 (no
 * snapshot, or that version was pruned) is permanent; timeouts, 429 and 5xx are retriable.
 * Thread-safe.
 */
public final class SnapshotConfigSource implements ConfigSource {
    private final HttpConfigSource http;

    private SnapshotConfigSource(HttpConfigSource http) {
        this.http = http;
    }

    /**
     * A source reading snapshots from the API, without tracing.
     *
     * @param apiUrl the API's base URL, e.g. {@code http://127.0.0.1:8080/}
     * @param serviceToken a service token of the API
     * @param maxDocumentBytes documents longer than this are refused as permanent failures
     */
    public static SnapshotConfigSource create(
            URI apiUrl, String serviceToken, Duration timeout, int maxDocumentBytes) {
        return create(apiUrl, serviceToken, timeout, maxDocumentBytes, Tracing.noop());
    }

    /** As the other factory, each fetch a client span of {@code tracing} ({@code GET config}). */
    public static SnapshotConfigSource create(
            URI apiUrl,
            String serviceToken,
            Duration timeout,
            int maxDocumentBytes,
            Tracing tracing) {
        String base = apiUrl.toString();
        URI internal = URI.create((base.endsWith("/") ? base : base + "/") + "internal/");
        return new SnapshotConfigSource(
                HttpConfigSource.create(
                        internal, timeout, serviceToken, maxDocumentBytes, tracing));
    }

    /** The newest pushed document of the target. */
    @Override
    public ConfigDocument fetch(Target target) {
        return http.fetch(target);
    }

    /** Version {@code version} of the target's pushed document. */
    public ConfigDocument fetch(Target target, long version) {
        URI url = URI.create(http.urlOf(target.targetId()) + "?version=" + version);
        return http.fetchFrom(target, url);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "SnapshotConfigSource[" + http + "]";
    }
}
