package dev.vigil.snapshots;

import dev.vigil.events.ConfigChange;

/**
 * Announces a stored version (in production, on the config-change topic). Called by {@link
 * ConfigSnapshots#push} after the version is committed and while the target's lock is held, so one
 * target's announcements follow version order; it must return only once the announcement is durable
 * and throw when it is not (the version is then deleted again, so a retried push is announced).
 */
@FunctionalInterface
public interface Announcer {

    /** Announces {@code change}; {@code document} is the stored document (compact JSON). */
    void announce(ConfigChange change, String document);
}
