package dev.vigil.simulate;

import org.jspecify.annotations.Nullable;

/**
 * An insight a synthetic fleet must produce: the identity of a FAIL finding (CHECKS.md), with
 * {@code zoneId} null for account-level checks.
 */
public record PlantedInsight(
        String accountId, @Nullable String zoneId, String checkId, String resourceKey) {}
