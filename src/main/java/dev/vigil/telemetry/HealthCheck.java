package dev.vigil.telemetry;

/**
 * One readiness condition of a role (database reachable, consumer assigned, rule set loaded).
 * Implementations answer quickly (they are called on every probe) and never throw: a failure is
 * reported as not ready with the reason.
 */
@FunctionalInterface
public interface HealthCheck {

    /** The outcome of one check. */
    record Status(boolean ready, String detail) {
        public static Status ok(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    Status check();
}
