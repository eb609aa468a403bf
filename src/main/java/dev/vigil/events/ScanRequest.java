package dev.vigil.events;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A request to scan one target; the Kafka key is {@link #targetId()}, so one target's requests stay
 * in order.
 *
 * @param changedSections for {@link ScanReason#CONFIG_CHANGE}: the configuration sections that
 *     changed (only the checks reading them run); empty means every check
 */
public record ScanRequest(
        UUID scanId,
        String targetId,
        TargetKind kind,
        String accountId,
        @Nullable String zoneId,
        String name,
        Plan plan,
        Lane lane,
        ScanReason reason,
        Instant requestedAt,
        List<String> changedSections) {

    public ScanRequest {
        changedSections = List.copyOf(changedSections);
    }

    /** A full scan of a target. */
    public static ScanRequest of(Target t, Lane lane, ScanReason reason, Instant at) {
        return new ScanRequest(
                UUID.randomUUID(),
                t.targetId(),
                t.kind(),
                t.accountId(),
                t.zoneId(),
                t.name(),
                t.plan(),
                lane,
                reason,
                at,
                List.of());
    }

    public Target target() {
        return new Target(targetId, kind, accountId, zoneId, name, plan);
    }

    /** The same request marked for another lane (a fast worker found the target slow). */
    public ScanRequest inLane(Lane other) {
        return new ScanRequest(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                name,
                plan,
                other,
                reason,
                requestedAt,
                changedSections);
    }
}
