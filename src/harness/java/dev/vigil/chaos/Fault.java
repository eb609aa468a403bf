package dev.vigil.chaos;

import java.time.Duration;

/**
 * One fault the suite injected.
 *
 * @param kind what was done
 * @param victim the process or server it was done to ({@code worker-fast-1}, {@code postgres})
 * @param at when, from the start of the load phase
 * @param downtime how long the victim was down before its restart was requested
 * @param recovered how long its restart took (process back, or server accepting again)
 */
public record Fault(Kind kind, String victim, Duration at, Duration downtime, Duration recovered) {

    /** The kinds of fault; a run injects every kind at least once. */
    public enum Kind {
        KILL_WORKER("SIGKILL a worker"),
        KILL_API("SIGKILL the API"),
        KILL_SCHEDULER("SIGKILL the active scheduler"),
        RESTART_POSTGRES("restart PostgreSQL"),
        RESTART_KAFKA("restart the Kafka broker");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
