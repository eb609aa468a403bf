package dev.vigil.bench.internal;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultFinding;
import java.util.ArrayList;
import java.util.List;

/**
 * Findings of a synthetic zone of any size: ten checks, one finding per offending record, messages
 * of a realistic length (about 80 characters). Resource keys are unique within a result; every
 * result goes to a fresh target, so every finding is a new insight.
 */
public final class BenchFindings {
    /** The checks every benchmark result evaluates. */
    public static final List<String> CHECKS =
            List.of(
                    "bench.dns.dangling_cname",
                    "bench.dns.wildcard",
                    "bench.dns.unproxied_origin",
                    "bench.tls.min_version",
                    "bench.tls.hsts",
                    "bench.waf.disabled",
                    "bench.dnssec.off",
                    "bench.email.spf",
                    "bench.email.dmarc",
                    "bench.api.token_scope");

    private static final Severity[] SEVERITIES = Severity.values();

    private BenchFindings() {}

    public static List<ResultFinding> of(int n) {
        List<ResultFinding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String check = CHECKS.get(i % CHECKS.size());
            String key = "rec-" + i + ".bench.example./A";
            out.add(
                    new ResultFinding(
                            check,
                            key,
                            SEVERITIES[i % SEVERITIES.length],
                            IssueType.INSECURE_CONFIGURATION,
                            "bench.example",
                            "record rec-"
                                    + i
                                    + ".bench.example. points at 192.0.2."
                                    + (i % 250)
                                    + ", which "
                                    + check
                                    + " flags"));
        }
        return List.copyOf(out);
    }
}
