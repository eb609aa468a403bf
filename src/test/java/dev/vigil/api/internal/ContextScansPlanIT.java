package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.List;
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
            // 50,000 scans, one a second up to now, over 500 zones (zone-7 every 500th), scan ids
            // drawn from their number so the audit rows below can name them
            pg.execute(
                    """
                    insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                                       applied_at, rule_set_version, checks_evaluated,
                                       checks_errored, findings, opened, resolved, write_path)
                    select cast(lpad(to_hex(g), 32, '0') as uuid), 'zone-' || (g % 500), 'acc',
                           'zone-' || (g % 500), t, t, 'active', 50, 0, 1, 0, 0, 'rows'
                    from generate_series(1, 50000) g,
                         lateral (select now() - make_interval(secs => 50000 - g) as t) at
                    """,
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

            String plan =
                    jdbi.withHandle(
                            h ->
                                    String.join(
                                            "\n",
                                            h.createQuery("explain " + ContextReads.SCANS)
                                                    .bindMap(scope.binds())
                                                    .bind("id", 1L)
                                                    .bind("target", "zone-7")
                                                    .bind("first", first)
                                                    .bind("last", last)
                                                    .bind("limit", 100)
                                                    .mapTo(String.class)
                                                    .list()));
            List<ContextReads.ScanRef> scans =
                    new ContextReads(jdbi).scans(scope, 1L, "zone-7", first, last, 100);

            assertThat(plan)
                    .containsPattern(
                            "(Bitmap Index Scan on|Index Scan (Backward )?using)"
                                    + " scans_[0-9]+_target_id_scanned_at_idx");
            // the month's partitions without rows (next months, the default) cost nothing to scan
            assertThat(plan.lines().filter(l -> l.contains("Seq Scan on scans_")))
                    .as("partitions scanned whole:%n%s", plan)
                    .allMatch(l -> l.contains("(cost=0.00..0.00 "));
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
