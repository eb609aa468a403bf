package dev.vigil.worker;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.results.ResultBatcher;
import dev.vigil.results.ResultsClient;
import java.time.Duration;

/**
 * A worker's settings.
 *
 * @param consumers Kafka consumers (each with its own polling thread and batch) in this process
 * @param maxPollRecords records per batch
 * @param maxInFlight keys processed concurrently by one consumer, over its batches in flight
 */
public record WorkerConfig(
        int consumers,
        int maxPollRecords,
        int maxInFlight,
        Duration shutdownDeadline,
        RetryPolicy retry,
        ScanHandler.LaneLimits laneLimits) {

    /** Several consumers per process: one slow target then holds up only one batch of several. */
    public static final Setting<Integer> CONSUMERS =
            Setting.integer(
                    "VIGIL_WORKER_CONSUMERS", 4, 1, 64, "Kafka consumers in one worker process");

    public static final Setting<Integer> MAX_POLL_RECORDS =
            Setting.integer(
                    "VIGIL_WORKER_MAX_POLL_RECORDS", 500, 1, 100_000, "records per polled batch");
    public static final Setting<Integer> MAX_IN_FLIGHT =
            Setting.integer(
                    "VIGIL_WORKER_MAX_IN_FLIGHT",
                    64,
                    1,
                    100_000,
                    "keys processed at once per consumer");
    public static final Setting<Duration> SHUTDOWN_DEADLINE =
            Setting.duration(
                    "VIGIL_WORKER_SHUTDOWN_DEADLINE",
                    "20s",
                    "how long shutdown waits for the running batch");
    public static final Setting<Integer> RETRY_ATTEMPTS =
            Setting.integer(
                    "VIGIL_WORKER_RETRY_ATTEMPTS",
                    5,
                    1,
                    100,
                    "attempts at least before a retriable failure is dead-lettered");

    /**
     * How long a retriable failure is retried at least: an outage of the results API, a config
     * fetch or Kafka shorter than this dead-letters nothing, however loaded the machine.
     */
    public static final Setting<Duration> RETRY_FOR =
            Setting.duration(
                    "VIGIL_WORKER_RETRY_FOR",
                    "2m",
                    "how long a retriable failure is retried at least before it is dead-lettered");

    public static final Setting<Integer> SLOW_DOCUMENT_BYTES =
            Setting.integer(
                    "VIGIL_LANE_SLOW_DOCUMENT_BYTES",
                    4 * 1024 * 1024,
                    1,
                    Integer.MAX_VALUE,
                    "a fast-lane worker stops fetching a larger document and hands the target to the slow lane");
    public static final Setting<Duration> SLOW_FETCH =
            Setting.duration(
                    "VIGIL_LANE_SLOW_FETCH",
                    "5s",
                    "a fast-lane worker stops a slower fetch and hands the target to the slow lane");

    /**
     * Results sent in one call at most ({@link dev.vigil.results.ResultBatcher}); 1 sends each
     * alone. The API takes up to 2,000 per call.
     */
    public static final Setting<Integer> RESULTS_BATCH_MAX =
            Setting.integer(
                    "VIGIL_RESULTS_BATCH_MAX",
                    500,
                    1,
                    2_000,
                    "scan results sent to the results API in one call at most (1 = one call per scan)");

    public static final Setting<Duration> RESULTS_BATCH_LINGER =
            Setting.duration(
                    "VIGIL_RESULTS_BATCH_LINGER",
                    "5ms",
                    "how long a scan's result waits for others to share its call to the results API");

    /**
     * Calls to the results API in flight at once per worker process: past that, results wait in the
     * open batch, so batches grow with the API's latency under load.
     */
    public static final Setting<Integer> RESULTS_CALLS =
            Setting.integer(
                    "VIGIL_RESULTS_CALLS_IN_FLIGHT",
                    4,
                    1,
                    256,
                    "calls to the results API in flight at once per worker process (results wait in the open batch past that)");

    /**
     * The worker's results sink: results batched as {@link #RESULTS_BATCH_MAX}, the linger and
     * {@link #RESULTS_CALLS} say.
     */
    public static ResultBatcher resultBatcher(ResultsClient client, Env env) {
        return new ResultBatcher(
                client,
                env.get(RESULTS_BATCH_MAX),
                env.get(RESULTS_BATCH_LINGER),
                env.get(RESULTS_CALLS));
    }

    public static WorkerConfig from(Env env) {
        return new WorkerConfig(
                env.get(CONSUMERS),
                env.get(MAX_POLL_RECORDS),
                env.get(MAX_IN_FLIGHT),
                env.get(SHUTDOWN_DEADLINE),
                new RetryPolicy(
                        env.get(RETRY_ATTEMPTS),
                        RetryPolicy.DEFAULT.baseDelay(),
                        RetryPolicy.DEFAULT.maxDelay(),
                        env.get(RETRY_FOR)),
                new ScanHandler.LaneLimits(env.get(SLOW_DOCUMENT_BYTES), env.get(SLOW_FETCH)));
    }
}
