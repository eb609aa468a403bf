package dev.vigil.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * V8 thaws the targets a result from the future froze before the results route refused such
 * results: the database is built to V7, frozen as the defect left it, then migrated.
 */
class FutureWatermarkMigrationIT {

    private static final String REAL_SCAN = "00000000-0000-0000-0000-00000000000a";
    private static final String FORGED_SCAN = "00000000-0000-0000-0000-00000000000f";
    private static final String HEALTHY_SCAN = "00000000-0000-0000-0000-00000000000b";

    @Test
    void aWatermarkFromTheFutureFallsBackToTheNewestRealScanAndNothingElseMoves() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            TestPostgres.migrateTo(pg.dataSource(), "7");
            try (Connection c = pg.dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute(
                        """
                        insert into targets (target_id, kind, account_id, zone_id, name, plan,
                                             next_due_at, last_result_at, last_scan_id) values
                          ('z-frozen', 'zone', 'a1', 'z-frozen', 'frozen.example', 'pro', now(),
                           '12000-01-01T00:00:00Z', '%1$s'),
                          ('z-never', 'zone', 'a1', 'z-never', 'never.example', 'pro', now(),
                           '12000-01-01T00:00:00Z', '%1$s'),
                          ('z-fine', 'zone', 'a1', 'z-fine', 'fine.example', 'pro', now(),
                           '2026-11-30T10:00:00Z', '%2$s')
                        """
                                .formatted(FORGED_SCAN, HEALTHY_SCAN));
                st.execute(
                        """
                        insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                                           rule_set_version, checks_evaluated, checks_errored,
                                           findings, opened, resolved, write_path) values
                          ('%1$s', 'z-frozen', 'a1', 'z-frozen', '2026-11-30T09:00:00Z', 'v', 1, 0,
                           0, 0, 0, 'unnest'),
                          ('%2$s', 'z-frozen', 'a1', 'z-frozen', '12000-01-01T00:00:00Z', 'v', 1,
                           0, 1, 1, 0, 'unnest'),
                          ('%3$s', 'z-fine', 'a1', 'z-fine', '2026-11-30T10:00:00Z', 'v', 1, 0,
                           0, 0, 0, 'unnest')
                        """
                                .formatted(REAL_SCAN, FORGED_SCAN, HEALTHY_SCAN));
            }

            Migrations.apply(pg.dataSource());

            Map<String, String> watermark = new HashMap<>();
            Map<String, String> lastScan = new HashMap<>();
            try (Connection c = pg.dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "select target_id, last_result_at, last_scan_id from targets")) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject("last_result_at", OffsetDateTime.class);
                    watermark.put(
                            rs.getString("target_id"),
                            at == null ? "none" : at.toInstant().toString());
                    lastScan.put(rs.getString("target_id"), rs.getString("last_scan_id"));
                }
            }
            assertThat(watermark)
                    .containsEntry("z-frozen", Instant.parse("2026-11-30T09:00:00Z").toString())
                    .containsEntry("z-never", "none")
                    .containsEntry("z-fine", Instant.parse("2026-11-30T10:00:00Z").toString());
            assertThat(lastScan)
                    .containsEntry("z-frozen", REAL_SCAN)
                    .containsEntry("z-never", null)
                    .containsEntry("z-fine", HEALTHY_SCAN);
        }
    }
}
