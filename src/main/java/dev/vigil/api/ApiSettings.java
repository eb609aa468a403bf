package dev.vigil.api;

import dev.vigil.results.ResultWriter;

/**
 * Settings of the API server.
 *
 * @param host the interface to listen on
 * @param port the port; 0 picks a free one (see {@link ApiServer#port()})
 * @param maxFindingsPerCall past this many findings a results call is refused with 413
 * @param unnestThreshold results with more findings than this are written with COPY
 */
public record ApiSettings(String host, int port, long maxFindingsPerCall, int unnestThreshold) {

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
        if (unnestThreshold < 0) {
            throw new IllegalArgumentException(
                    "unnest threshold must be at least 0, got " + unnestThreshold);
        }
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
        return new ApiSettings(host, newPort, maxFindingsPerCall, unnestThreshold);
    }

    /** These settings with another cap on findings per call. */
    public ApiSettings withMaxFindingsPerCall(long max) {
        return new ApiSettings(host, port, max, unnestThreshold);
    }
}
