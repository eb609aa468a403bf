package dev.vigil.results;

import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything of a {@link ScanResult} but its findings: what the API knows before it starts reading
 * the (possibly huge) findings array, enough to lock the target and decide whether to apply.
 *
 * @param sectionErrors the sections of the document the source could not read, with the reason (its
 *     {@code _errors}); kept with the target so its scan status says why checks are ERROR
 */
public record ScanHeader(
        UUID scanId,
        String targetId,
        TargetKind kind,
        String accountId,
        @Nullable String zoneId,
        Instant scannedAt,
        String ruleSetVersion,
        List<String> evaluatedChecks,
        List<String> erroredChecks,
        @Nullable Long durationMs,
        Map<String, String> sectionErrors) {

    public ScanHeader {
        evaluatedChecks = List.copyOf(evaluatedChecks);
        erroredChecks = List.copyOf(erroredChecks);
        sectionErrors = Map.copyOf(sectionErrors);
    }

    /** A header whose document had every section. */
    public ScanHeader(
            UUID scanId,
            String targetId,
            TargetKind kind,
            String accountId,
            @Nullable String zoneId,
            Instant scannedAt,
            String ruleSetVersion,
            List<String> evaluatedChecks,
            List<String> erroredChecks,
            @Nullable Long durationMs) {
        this(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                scannedAt,
                ruleSetVersion,
                evaluatedChecks,
                erroredChecks,
                durationMs,
                Map.of());
    }

    /** A header without a measured scan duration. */
    public ScanHeader(
            UUID scanId,
            String targetId,
            TargetKind kind,
            String accountId,
            @Nullable String zoneId,
            Instant scannedAt,
            String ruleSetVersion,
            List<String> evaluatedChecks,
            List<String> erroredChecks) {
        this(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                scannedAt,
                ruleSetVersion,
                evaluatedChecks,
                erroredChecks,
                null);
    }

    /** The header of a complete result. */
    public static ScanHeader of(ScanResult r) {
        return new ScanHeader(
                r.scanId(),
                r.targetId(),
                r.kind(),
                r.accountId(),
                r.zoneId(),
                r.scannedAt(),
                r.ruleSetVersion(),
                r.evaluatedChecks(),
                r.erroredChecks(),
                r.durationMs(),
                r.sectionErrors());
    }
}
