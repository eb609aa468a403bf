package dev.vigil.api;

import dev.vigil.results.ResultWriter;

/**
 * Settings of the API server.
 *
 * @param host the interface to listen on
 * @param port the port; 0 picks a free one (see {@link ApiServer#port()})
 * @param maxFindingsPerCall past this many findings a results call is refused with 413
 * @param unnestThreshold results with more findings than this are written with COPY
 * @param requestsPerTokenPerMinute requests a minute each token may make of the public routes (429
 *     with Retry-After past it); 0 for no limit; the internal routes (workers) are never limited
 */
public record ApiSettings(
        String host,
        int port,
        long maxFindingsPerCall,
        int unnestThreshold,
        int requestsPerTokenPerMinute) {

    /** Default requests a minute per token: a busy dashboard stays far below. */
    public static final int DEFAULT_REQUESTS_PER_TOKEN_PER_MINUTE = 3_000;

    /** Loopback by default: the API is meant to run beside the database, behind a proxy. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Default port of the API. */
    public static final int DEFAULT_PORT = 8080;

    /** Default cap on findings per results call. */
    public static final long DEFAULT_MAX_FINDINGS_PER_CALL = ResultWriter.DEFAULT_MAX_FINDINGS;

    /** Default crossover from the unnest path to COPY. */
    public static final int DEFAULT_UNNEST_THRESHOLD = ResultWriter.DEFAULT_UNNEST_THRESHOLD;

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("API port must be 0..65535, got " + port);
        }
        if (maxFindingsPerCall < 1) {
            throw new IllegalArgumentException(
                    "max findings per call must be at least 1, got " + maxFindingsPerCall);
        }
        if (requestsPerTokenPerMinute < 0) {
            throw new IllegalArgumentException(
                    "requests per token per minute must be at least 0 (0: no limit), got "
                            + requestsPerTokenPerMinute);
        }
        if (unnestThreshold < 0) {
            throw new IllegalArgumentException(
                    "unnest threshold must be at least 0, got " + unnestThreshold);
        }
    }

    /** Settings with the default rate limit per token. */
    public ApiSettings(String host, int port, long maxFindingsPerCall, int unnestThreshold) {
        this(
                host,
                port,
                maxFindingsPerCall,
                unnestThreshold,
                DEFAULT_REQUESTS_PER_TOKEN_PER_MINUTE);
    }

    /** The defaults. */
    public static ApiSettings defaults() {
        return new ApiSettings(
                DEFAULT_HOST,
                DEFAULT_PORT,
                DEFAULT_MAX_FINDINGS_PER_CALL,
                DEFAULT_UNNEST_THRESHOLD);
    }

    /** These settings on another port (0 for a free one). */
    public ApiSettings withPort(int newPort) {
        return new ApiSettings(
                host, newPort, maxFindingsPerCall, unnestThreshold, requestsPerTokenPerMinute);
    }

    /** These settings with another cap on findings per call. */
    public ApiSettings withMaxFindingsPerCall(long max) {
        return new ApiSettings(host, port, max, unnestThreshold, requestsPerTokenPerMinute);
    }

    /** These settings with another rate limit per token (0: none). */
    public ApiSettings withRequestsPerTokenPerMinute(int perMinute) {
        return new ApiSettings(host, port, maxFindingsPerCall, unnestThreshold, perMinute);
    }
}
