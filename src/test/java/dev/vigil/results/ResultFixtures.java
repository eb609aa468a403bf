package dev.vigil.results;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds scan results for tests. */
public final class ResultFixtures {

    private ResultFixtures() {}

    public static ResultFinding finding(String checkId, String resourceKey) {
        return finding(checkId, resourceKey, Severity.HIGH);
    }

    public static ResultFinding finding(String checkId, String resourceKey, Severity severity) {
        return new ResultFinding(
                checkId,
                resourceKey,
                severity,
                IssueType.INSECURE_CONFIGURATION,
                resourceKey,
                checkId + " fails on " + resourceKey);
    }

    public static ScanResult zoneResult(
            String accountId,
            String zoneId,
            Instant at,
            List<String> evaluated,
            List<String> errored,
            List<ResultFinding> findings) {
        return new ScanResult(
                UUID.randomUUID(),
                zoneId,
                TargetKind.ZONE,
                accountId,
                zoneId,
                at,
                "test-1",
                evaluated,
                errored,
                findings);
    }

    public static ScanResult accountResult(
            String accountId, Instant at, List<String> evaluated, List<ResultFinding> findings) {
        return new ScanResult(
                UUID.randomUUID(),
                accountId,
                TargetKind.ACCOUNT,
                accountId,
                null,
                at,
                "test-1",
                evaluated,
                List.of(),
                findings);
    }

    /** {@code n} distinct findings spread over {@code checks} checks, with awkward characters. */
    public static List<ResultFinding> many(int n, int checks) {
        List<ResultFinding> out = new ArrayList<>(n);
        Severity[] sev = Severity.values();
        for (int i = 0; i < n; i++) {
            out.add(
                    new ResultFinding(
                            "check_" + (i % checks),
                            "dns/record-" + i + "\ttab\\slash",
                            sev[i % sev.length],
                            IssueType.EXPOSED_INFRASTRUCTURE,
                            "record-" + i + ".example.com",
                            "line one\nline two é " + i));
        }
        return out;
    }
}
