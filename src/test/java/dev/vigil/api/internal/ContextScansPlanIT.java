package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * An insight's context reads the scans of its own target (V24's index over {@code target_id,
 * scanned_at}), not every partition of {@code scans} whole: read from PostgreSQL's plan over 50,000
 * scans of 500 targets, and the scans it answers, which follow the insight's transitions in the
 * audit log, those written before V19 (no scan time in the detail) among them.
 */
class ContextScansPlanIT {

    @Test
    void theContextReadsOnlyItsTargetsScans() {
        try (TestPostgres pg = TestPostgres.start()) {
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            // scan ids drawn from their number, so the audit rows below can name them
            ScanPlans.fiftyThousandScans(
                    pg, "cast(lpad(to_hex(g), 32, '0') as uuid)", "'active'", "0");
            pg.execute(
                    // zone-7's insight 1: opened by scan 1,007 (audited before V19: the scan id
                    // alone), resolved by scan 2,007, reopened by scan 3,007, still open
                    """
                    insert into audit_log (account_id, zone_id, insight_id, action, from_status,
                                           to_status, changed_by, detail)
                    values ('acc', 'zone-7', 1, 'opened', null, 'open', 'system',
                            jsonb_build_object('scan_id',
                                               cast(lpad(to_hex(1007), 32, '0') as uuid))),
                           ('acc', 'zone-7', 1, 'resolved', 'open', 'resolved', 'system',
                            (select jsonb_build_object('scan_id', scan_id,
                                                       'scanned_at', scanned_at)
                             from scans where scan_id = cast(lpad(to_hex(2007), 32, '0') as uuid))),
                           ('acc', 'zone-7', 1, 'reopened', 'resolved', 'open', 'system',
                            (select jsonb_build_object('scan_id', scan_id,
                                                       'scanned_at', scanned_at)
                             from scans where scan_id = cast(lpad(to_hex(3007), 32, '0') as uuid))),
                           -- a person's action on it names no scan and changes nothing here
                           ('acc', 'zone-7', 1, 'classified', null, null, 'alice',
                            '{"new": "accepted"}')
                    """,
                    "analyze scans",
                    "analyze audit_log");
            Instant first = scanTime(jdbi, 1007);
            Instant last = scanTime(jdbi, 4007);
            Scope scope = new Scope("acc", null, "test", false);

            Map<String, Object> binds = new HashMap<>(scope.binds());
            binds.putAll(
                    Map.of(
                            "id", 1L, "target", "zone-7", "first", first, "last", last, "limit",
                            100));
            String plan = ScanPlans.explain(jdbi, ContextReads.SCANS, binds);
            List<ContextReads.ScanRef> scans =
                    new ContextReads(jdbi).scans(scope, 1L, "zone-7", first, last, 100);

            assertThat(plan)
                    .containsPattern(
                            "(Bitmap Index Scan on|Index Scan (Backward )?using)"
                                    + " scans_[0-9]+_target_id_scanned_at_idx");
            ScanPlans.assertNoPartitionScannedWhole(plan);
            // zone-7's scans from 1,007 to 4,007 are 1,007, 1,507, ..., 4,007; it was open from
            // 1,007 to 1,507 and again from 3,007: newest first
            assertThat(scans)
                    .extracting(s -> s.scanId())
                    .containsExactly(
                            scanId(4007), scanId(3507), scanId(3007), scanId(1507), scanId(1007));
        }
    }

    private static String scanId(int g) {
        String hex = "%032x".formatted(g);
        return hex.substring(0, 8)
                + "-"
                + hex.substring(8, 12)
                + "-"
                + hex.substring(12, 16)
                + "-"
                + hex.substring(16, 20)
                + "-"
                + hex.substring(20);
    }

    private static Instant scanTime(Jdbi jdbi, int g) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select scanned_at from scans where scan_id = cast(:id as uuid)")
                                .bind("id", scanId(g))
                                .mapTo(Instant.class)
                                .one());
    }
}
