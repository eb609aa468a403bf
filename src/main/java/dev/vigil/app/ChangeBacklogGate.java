package dev.vigil.app;

import dev.vigil.api.PushAdmission;
import dev.vigil.config.Setting;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api role's {@link PushAdmission}: closed while the change workers' group ({@code
 * vigil-workers-changes}) lags more than {@link #BACKLOG_MAX} events behind the end of the
 * config-change topic, so pushes are answered 429 instead of queueing without limit.
 *
 * <p>One platform thread samples the lag every {@link #SAMPLE_EVERY} (three Admin calls); {@link
 * #gate} only reads the last sample (a volatile field), so a push never waits on Kafka. While the
 * broker does not answer, the last sample stands: the gate fails neither open nor shut on a hiccup
 * of the Admin client, and the sample that answers next decides. Closing stops the sampling and
 * closes the Admin client.
 */
final class ChangeBacklogGate implements PushAdmission, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeBacklogGate.class);

    /**
     * Default bound: about 12 s of work at the 8,333 changes/s target, far inside a p99 of one
     * second at half that load only when the workers keep up — past it they do not, and more pushes
     * would only lengthen every change's wait.
     */
    static final int DEFAULT_BACKLOG_MAX = 100_000;

    static final Setting<Integer> BACKLOG_MAX =
            Setting.integer(
                    "VIGIL_CHANGE_BACKLOG_MAX",
                    DEFAULT_BACKLOG_MAX,
                    0,
                    Integer.MAX_VALUE,
                    "config-change events the change workers may lag behind before config pushes"
                            + " (single and batch) are answered 429 with Retry-After (0: never)");

    /** How often the lag is sampled: a second, the resolution of a {@code Retry-After}. */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private final LagProbe probe;
    private final String group;
    private final long max;
    private final ScheduledExecutorService sampler;
    private volatile long backlog;

    private ChangeBacklogGate(LagProbe probe, String group, long max) {
        this.probe = probe;
        this.group = group;
        this.max = max;
        this.sampler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "change-backlog-gate");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts sampling the lag of consumer group {@code group} on {@code topic} of {@code
     * bootstrap}'s cluster; the gate closes past {@code max} events (0: never, and nothing is
     * sampled).
     */
    static ChangeBacklogGate start(String bootstrap, String topic, String group, long max) {
        ChangeBacklogGate gate = new ChangeBacklogGate(new LagProbe(bootstrap, topic), group, max);
        if (max > 0) {
            // sample() catches what it throws, so the future never completes exceptionally
            var _ =
                    gate.sampler.scheduleWithFixedDelay(
                            gate::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return gate;
    }

    private void sample() {
        try {
            long lag = probe.lag(group);
            if (lag < 0) {
                log.debug("lag of {} on {}: broker did not answer", group, probe.topic());
                return;
            }
            boolean wasClosed = backlog > max;
            backlog = lag;
            if (wasClosed != lag > max) {
                log.info(
                        "config pushes {}: the change backlog is {} events (bound {}, {})",
                        lag > max ? "paused" : "resumed",
                        lag,
                        max,
                        BACKLOG_MAX.name());
            }
        } catch (RuntimeException e) {
            // a failed sample must not end the schedule
            log.warn("sampling the change backlog failed: {}", e.toString());
        }
    }

    /** The last sampled backlog, in events. */
    long backlog() {
        return backlog;
    }

    @Override
    public Gate gate() {
        long now = backlog;
        if (max == 0 || now <= max) {
            return Gate.OPEN;
        }
        return new Gate.Closed(
                "the change workers are "
                        + now
                        + " events behind, over the bound of "
                        + max
                        + " ("
                        + BACKLOG_MAX.name()
                        + ")",
                SAMPLE_EVERY.toSeconds());
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            if (!sampler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the change backlog sampler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
