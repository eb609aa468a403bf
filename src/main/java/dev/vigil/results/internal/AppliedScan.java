package dev.vigil.results.internal;

import dev.vigil.inventory.SqlArrays;
import dev.vigil.results.ScanHeader;
import dev.vigil.results.WritePath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scan result applied in this transaction, as the end of its wave records it ({@link
 * BatchSql#FINISH}): its alerts, its {@code scans} row, its target's watermark.
 *
 * @param at the scan time at PostgreSQL's precision (microseconds)
 * @param opened insights created
 * @param reopened resolved insights found again
 */
public record AppliedScan(
        ScanHeader header,
        Instant at,
        WritePath path,
        int findings,
        int opened,
        int reopened,
        int resolved) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code scannedAt} truncated to what PostgreSQL keeps. */
    public static Instant micros(Instant scannedAt) {
        return scannedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Queues the alerts of the scans that changed something, records every scan and advances the
     * targets, in one statement. The targets of {@code wave} must be distinct.
     */
    public static void finish(Handle h, List<AppliedScan> wave) {
        if (wave.isEmpty()) {
            return;
        }
        List<AppliedScan> changed =
                wave.stream().filter(a -> a.opened() + a.reopened() + a.resolved() > 0).toList();
        int n = wave.size();
        @Nullable String[] sectionErrors = new String[n];
        String[] paths = new String[n];
        Integer[] findings = new Integer[n], opened = new Integer[n], resolved = new Integer[n];
        @Nullable Double[] durations = new Double[n];
        for (int i = 0; i < n; i++) {
            AppliedScan a = wave.get(i);
            ScanHeader hd = a.header();
            findings[i] = a.findings();
            opened[i] = a.opened() + a.reopened();
            resolved[i] = a.resolved();
            paths[i] = a.path().label();
            Long d = hd.durationMs();
            durations[i] = d == null ? null : d.doubleValue();
            sectionErrors[i] =
                    hd.sectionErrors().isEmpty()
                            ? null
                            : JSON.writeValueAsString(new TreeMap<>(hd.sectionErrors()));
        }
        HeaderColumns columns =
                new HeaderColumns(
                        wave.stream().map(AppliedScan::header).toList(),
                        wave.stream().map(AppliedScan::at).toList());
        columns.bind(h.createUpdate(BatchSql.FINISH))
                .bind(
                        "a_accounts",
                        SqlArrays.binary(
                                changed.stream()
                                        .map(a -> a.header().accountId())
                                        .toArray(String[]::new)))
                .bind(
                        "a_ats",
                        SqlArrays.binary(
                                changed.stream()
                                        .map(a -> a.at().toString())
                                        .toArray(String[]::new)))
                .bind(
                        "a_scans",
                        SqlArrays.binary(
                                changed.stream()
                                        .map(a -> a.header().scanId().toString())
                                        .toArray(String[]::new)))
                .bind("findings", SqlArrays.binary(findings))
                .bind("opened", SqlArrays.binary(opened))
                .bind("resolved", SqlArrays.binary(resolved))
                .bind("paths", SqlArrays.binary(paths))
                .bind("section_errors", SqlArrays.binary(sectionErrors))
                .bind("durations", SqlArrays.binary(durations))
                .execute();
    }
}
