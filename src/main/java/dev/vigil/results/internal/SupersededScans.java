package dev.vigil.results.internal;

import dev.vigil.results.ScanHeader;
import dev.vigil.results.WritePath;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Records the scans whose results arrived after a newer scan of the same target was applied ({@link
 * Admission.Stale}): one {@code scans} row each with {@link WritePath#SUPERSEDED} and zero counts,
 * and nothing else. The target keeps the newer scan's state; the row only says that the scan ran
 * and what became of it, so that every published scan has an outcome in the database (the fault
 * suite's audit, an operator counting scans).
 *
 * <p>Results of one target reach the API out of order when the lanes reorder them (a fast-lane
 * fetch past its budget goes to the slow lane; the classifier moves targets between lanes), so
 * under load this is expected, not an error.
 *
 * <p>A stale result can also be the redelivery of a scan applied earlier and overtaken since; it
 * already has its row, so a scan id with any row is skipped. Callers hold the target's lock (the
 * admission's), so two deliveries of one scan cannot both insert.
 */
public final class SupersededScans {

    private static final String RECORD =
            """
            insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                               rule_set_version, checks_evaluated, checks_errored, findings,
                               opened, resolved, write_path)
            select u.scan_id, u.target_id, u.account_id, u.zone_id, u.scanned_at,
                   u.rule_set_version, u.evaluated, u.errored, 0, 0, 0, :path
              from unnest(cast(cast(:scans as text[]) as uuid[]), cast(:targets as text[]),
                          cast(:accounts as text[]), cast(:zones as text[]),
                          cast(cast(:ats as text[]) as timestamptz[]),
                          cast(:versions as text[]), cast(:evaluated as int[]),
                          cast(:errored as int[]))
                   as u(scan_id, target_id, account_id, zone_id, scanned_at, rule_set_version,
                        evaluated, errored)
             where not exists (select 1 from scans s where s.scan_id = u.scan_id)
            """;

    private SupersededScans() {}

    /** Records {@code headers}' scans as superseded, in one statement; none does nothing. */
    public static void record(Handle h, List<ScanHeader> headers) {
        if (headers.isEmpty()) {
            return;
        }
        new HeaderColumns(
                        headers,
                        headers.stream().map(hd -> AppliedScan.micros(hd.scannedAt())).toList())
                .bind(h.createUpdate(RECORD))
                .bind("path", WritePath.SUPERSEDED.label())
                .execute();
    }
}
