package dev.vigil.checks;

/**
 * One offending resource found by a failing check.
 *
 * @param checkId the stable check id, e.g. {@code dns.a_record_unproxied}
 * @param resourceKey the offending object's stable id (record id, member id, token id) or {@code
 *     zone} / {@code account} for a target-wide finding
 * @param message a human sentence built from the offending values
 */
public record Finding(String checkId, String resourceKey, String message) {}
