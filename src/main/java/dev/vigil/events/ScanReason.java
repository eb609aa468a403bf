package dev.vigil.events;

/** Why a scan was requested. */
public enum ScanReason {
    /** The target's interval elapsed. */
    SCHEDULED,
    /** Somebody asked for it (API, dashboard). */
    ON_DEMAND,
    /** Its configuration changed; only the checks reading the changed sections run. */
    CONFIG_CHANGE
}
