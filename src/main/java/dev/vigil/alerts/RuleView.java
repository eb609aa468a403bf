package dev.vigil.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stored rule.
 *
 * @param triggers in their declared order
 * @param digestWindow for {@link RuleMode#DIGEST}; null otherwise
 * @param filters by field; an absent field does not filter
 * @param pausedAt when it was paused (it matches nothing meanwhile); null while active
 */
public record RuleView(
        long id,
        String accountId,
        String name,
        long destinationId,
        List<Trigger> triggers,
        RuleMode mode,
        @Nullable Duration digestWindow,
        Map<RuleFilterField, RuleFilter> filters,
        @Nullable Instant pausedAt,
        Instant createdAt,
        Instant updatedAt) {

    public RuleView {
        triggers = List.copyOf(triggers);
        filters = Map.copyOf(filters);
    }
}
