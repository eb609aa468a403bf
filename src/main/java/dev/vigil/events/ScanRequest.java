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
        List<String> changedSections,
        int attempt) {

    public ScanRequest {
        changedSections = List.copyOf(changedSections);
        if (attempt < 1) {
            throw new IllegalArgumentException(
                    "attempt must be 1 or more, not " + attempt + " (scan " + scanId + ")");
        }
    }

    /** A first attempt: the requests written before the attempt existed. */
    public ScanRequest(
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
        this(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                name,
                plan,
                lane,
                reason,
                requestedAt,
                changedSections,
                1);
    }

    /**
     * A full scan of {@code t} that re-publishes a lost one: a new scan id, attempt {@code
     * attempt}.
     */
    public static ScanRequest retry(Target t, Lane lane, Instant at, int attempt) {
        return new ScanRequest(
                UUID.randomUUID(),
                t.targetId(),
                t.kind(),
                t.accountId(),
                t.zoneId(),
                t.name(),
                t.plan(),
                lane,
                ScanReason.SCHEDULED,
                at,
                List.of(),
                attempt);
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
                changedSections,
                attempt);
    }
}
