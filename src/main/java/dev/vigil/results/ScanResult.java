package dev.vigil.results;

import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The complete result of one scan of one target. On the wire (JSON, {@code PUT
 * /internal/v1/scans/{scanId}}) the findings come last, so the API can write them as it reads them.
 *
 * @param evaluatedChecks checks that concluded PASS, FAIL or NOT_APPLICABLE: open insights of these
 *     checks that are absent from {@code findings} are resolved
 * @param erroredChecks checks that could not be evaluated: their insights stay as they were
 * @param sectionErrors the sections the source could not read and why (the document's {@code
 *     _errors}): the checks reading them are among {@code erroredChecks}
 * @param durationMs how long the worker took to fetch and evaluate the target's document, when it
 *     measured a full scan; the API keeps a smoothed figure per target for the lane classifier
 */
public record ScanResult(
        UUID scanId,
        String targetId,
        TargetKind kind,
        String accountId,
        @Nullable String zoneId,
        Instant scannedAt,
        String ruleSetVersion,
        List<String> evaluatedChecks,
        List<String> erroredChecks,
        List<ResultFinding> findings,
        @Nullable Long durationMs,
        Map<String, String> sectionErrors) {

    public ScanResult {
        evaluatedChecks = List.copyOf(evaluatedChecks);
        erroredChecks = List.copyOf(erroredChecks);
        findings = List.copyOf(findings);
        sectionErrors = Map.copyOf(sectionErrors);
        if (durationMs != null && durationMs < 0) {
            throw new IllegalArgumentException("scan duration " + durationMs + " ms is negative");
        }
    }

    /** A result whose document had every section. */
    public ScanResult(
            UUID scanId,
            String targetId,
            TargetKind kind,
            String accountId,
            @Nullable String zoneId,
            Instant scannedAt,
            String ruleSetVersion,
            List<String> evaluatedChecks,
            List<String> erroredChecks,
            List<ResultFinding> findings,
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
                findings,
                durationMs,
                Map.of());
    }

    /** A result without a measured duration (config-change scans, tests, the benchmark). */
    public ScanResult(
            UUID scanId,
            String targetId,
            TargetKind kind,
            String accountId,
            @Nullable String zoneId,
            Instant scannedAt,
            String ruleSetVersion,
            List<String> evaluatedChecks,
            List<String> erroredChecks,
            List<ResultFinding> findings) {
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
                findings,
                null);
    }

    /** This result with the worker's measured scan duration. */
    public ScanResult withDurationMs(long ms) {
        return new ScanResult(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                scannedAt,
                ruleSetVersion,
                evaluatedChecks,
                erroredChecks,
                findings,
                ms,
                sectionErrors);
    }

    /** This result with the sections its document could not have, and why. */
    public ScanResult withSectionErrors(Map<String, String> errors) {
        return new ScanResult(
                scanId,
                targetId,
                kind,
                accountId,
                zoneId,
                scannedAt,
                ruleSetVersion,
                evaluatedChecks,
                erroredChecks,
                findings,
                durationMs,
                errors);
    }
}
