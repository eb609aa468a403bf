package dev.vigil.results.internal;

import dev.vigil.inventory.SqlArrays;
import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanHeader;
import dev.vigil.results.WritePath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Binds one {@link BatchSql#APPLY} for the scans of a wave of one kind (zones or accounts). */
final class WaveStatement {

    /** Separates a scan's check ids in one text value (a check id is a dotted word). */
    static final char SEPARATOR = '\u001f';

    private WaveStatement() {}

    /**
     * The checks whose absent findings the scan resolves, joined by {@link #SEPARATOR}: evaluated
     * and not errored (a check listed as both keeps its insights: errored wins).
     */
    static String resolvable(ScanHeader hd) {
        Set<String> errored = new HashSet<>(hd.erroredChecks());
        StringBuilder sb = new StringBuilder();
        for (String c : hd.evaluatedChecks()) {
            if (c.indexOf(SEPARATOR) >= 0) {
                throw new MalformedResultException(
                        "evaluated_checks", "check id '" + c + "' holds a control character");
            }
            if (!errored.contains(c)) {
                if (!sb.isEmpty()) {
                    sb.append(SEPARATOR);
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Runs APPLY for {@code group} (positions in {@code admitted}) and stores each scan's outcome
     * at its position in {@code out}.
     */
    static void run(
            Handle h,
            boolean zones,
            List<BatchApply.Pending> batch,
            List<Integer> admitted,
            List<Instant> ats,
            List<Integer> group,
            @Nullable AppliedScan[] out) {
        int n = group.size();
        String[] accounts = new String[n], scans = new String[n], at = new String[n];
        String[] checks = new String[n];
        @Nullable String[] zoneIds = new String[n];
        List<Integer> fIdx = new ArrayList<>();
        List<ResultFinding> findings = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            int k = group.get(g);
            BatchApply.Pending p = batch.get(admitted.get(k));
            ScanHeader hd = p.header();
            accounts[g] = hd.accountId();
            zoneIds[g] = hd.zoneId();
            scans[g] = hd.scanId().toString();
            at[g] = ats.get(k).toString();
            checks[g] = resolvable(hd);
            for (ResultFinding f : p.findings()) {
                fIdx.add(g + 1);
                findings.add(f);
            }
        }
        int m = findings.size();
        String[] checkIds = new String[m], keys = new String[m], severities = new String[m];
        String[] types = new String[m], subjects = new String[m], messages = new String[m];
        @Nullable String[] contexts = new String[m];
        for (int i = 0; i < m; i++) {
            ResultFinding f = findings.get(i);
            checkIds[i] = f.checkId();
            keys[i] = f.resourceKey();
            severities[i] = f.severity().wire();
            types[i] = f.issueType().wire();
            subjects[i] = f.subject();
            messages[i] = f.message();
            contexts[i] = ContextJson.of(f.context());
        }
        h.createQuery(BatchSql.apply(zones))
                .bind("s_accounts", SqlArrays.binary(accounts))
                .bind("s_zones", SqlArrays.binary(zoneIds))
                .bind("s_ats", SqlArrays.binary(at))
                .bind("s_scans", SqlArrays.binary(scans))
                .bind("s_checks", SqlArrays.binary(checks))
                .bind("f_idx", SqlArrays.binary(fIdx.toArray(Integer[]::new)))
                .bind("check_ids", SqlArrays.binary(checkIds))
                .bind("resource_keys", SqlArrays.binary(keys))
                .bind("severities", SqlArrays.binary(severities))
                .bind("issue_types", SqlArrays.binary(types))
                .bind("subjects", SqlArrays.binary(subjects))
                .bind("messages", SqlArrays.binary(messages))
                .bind("contexts", SqlArrays.binary(contexts))
                .map(
                        (rs, ctx) -> {
                            int g = rs.getInt("idx") - 1;
                            int k = group.get(g);
                            BatchApply.Pending p = batch.get(admitted.get(k));
                            out[k] =
                                    new AppliedScan(
                                            p.header(),
                                            ats.get(k),
                                            WritePath.UNNEST,
                                            rs.getInt("findings"),
                                            rs.getInt("opened"),
                                            rs.getInt("reopened"),
                                            rs.getInt("resolved"));
                            return g;
                        })
                .list();
    }
}
