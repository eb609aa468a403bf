package dev.vigil.chaos;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One fault the suite injected.
 *
 * @param kind what was done
 * @param victim the process or server it was done to ({@code worker-fast-1}, {@code postgres})
 * @param at when, from the start of the load phase
 * @param downtime how long the victim was down before its restart was requested
 * @param recovered how long its restart took (process back, or server accepting again; for a
 *     failover, the promotion of the standby)
 * @param writeOutage for a failover, the time from the SIGKILL of the primary to the first result
 *     stored on the promoted standby; null for other faults or when none was stored
 * @param produceLatency for the SIGKILL of a Kafka broker, the probe producer's latency around it;
 *     null for other faults, and until the run measures it after the load phase
 */
public record Fault(
        Kind kind,
        String victim,
        Duration at,
        Duration downtime,
        Duration recovered,
        @Nullable Duration writeOutage,
        @Nullable ProduceLatency produceLatency) {

    /** A fault without a write outage or a produce latency of its own. */
    public Fault(Kind kind, String victim, Duration at, Duration downtime, Duration recovered) {
        this(kind, victim, at, downtime, recovered, null, null);
    }

    /** A failover, with its write outage. */
    public Fault(
            Kind kind,
            String victim,
            Duration at,
            Duration downtime,
            Duration recovered,
            @Nullable Duration writeOutage) {
        this(kind, victim, at, downtime, recovered, writeOutage, null);
    }

    /** This fault with the producers' latency around it. */
    public Fault withProduceLatency(ProduceLatency latency) {
        return new Fault(kind, victim, at, downtime, recovered, writeOutage, latency);
    }

    /** The kinds of fault; a run injects every kind at least once. */
    public enum Kind {
        KILL_WORKER("SIGKILL a worker"),
        KILL_API("SIGKILL the API"),
        KILL_SCHEDULER("SIGKILL the active scheduler"),
        RESTART_POSTGRES("restart PostgreSQL"),
        FAILOVER_POSTGRES("SIGKILL the PostgreSQL primary and promote its standby"),
        RESTART_KAFKA("restart a Kafka broker (controlled shutdown)"),
        KILL_KAFKA_LEADER("SIGKILL the Kafka broker leading the most scan-request partitions");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
