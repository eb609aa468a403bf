package dev.vigil.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V12 backfills the episodes of insights written before it from the audit log: the database is
 * built to V11 with a history (opened, resolved, reopened; dismissed in between; an insight with no
 * audit rows), then migrated.
 */
class EpisodesMigrationIT {

    private static final String S1 = "00000000-0000-0000-0000-000000000001";
    private static final String S2 = "00000000-0000-0000-0000-000000000002";
    private static final String S3 = "00000000-0000-0000-0000-000000000003";
    private static final String S4 = "00000000-0000-0000-0000-000000000004";

    @Test
    void episodesAreRebuiltFromTheAuditLogDatedByTheScansTheyName() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            TestPostgres.migrateTo(pg.dataSource(), "11");
            try (Connection c = pg.dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute(
                        """
                        insert into insights (insight_id, account_id, zone_id, check_id,
                                              resource_key, severity, issue_type, subject, message,
                                              status, dismissed, first_seen_at, last_seen_at,
                                              resolved_at, last_scan_id) values
                          (1, 'a1', 'z1', 'tls.a', 'r1', 'high', 't', 's', 'm', 'open', false,
                           '2027-01-05T10:00:00Z', '2027-03-10T10:00:00Z', null, '%3$s'),
                          (2, 'a1', 'z1', 'tls.b', 'r2', 'low', 't', 's', 'm', 'resolved', false,
                           '2027-01-06T10:00:00Z', '2027-01-20T10:00:00Z',
                           '2027-01-21T10:00:00Z', '%1$s'),
                          (3, 'a1', 'z1', 'tls.c', 'r3', 'critical', 't', 's', 'm', 'resolved',
                           true, '2027-01-05T10:00:00Z', '2027-04-01T10:00:00Z',
                           '2027-04-02T10:00:00Z', '%4$s')
                        """
                                .formatted(S1, S2, S3, S4));
                st.execute(
                        """
                        insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                                           applied_at, rule_set_version, checks_evaluated,
                                           checks_errored, findings, opened, resolved,
                                           write_path) values
                          ('%1$s', 'z1', 'a1', 'z1', '2027-01-05T10:00:00Z',
                           '2027-01-05T10:00:01Z', 'v', 3, 0, 2, 2, 0, 'unnest'),
                          ('%2$s', 'z1', 'a1', 'z1', '2027-02-03T10:00:00Z',
                           '2027-02-03T10:00:01Z', 'v', 3, 0, 1, 0, 1, 'unnest'),
                          ('%3$s', 'z1', 'a1', 'z1', '2027-03-10T10:00:00Z',
                           '2027-03-10T10:00:01Z', 'v', 3, 0, 2, 0, 0, 'unnest'),
                          ('%4$s', 'z1', 'a1', 'z1', '2027-04-02T10:00:00Z',
                           '2027-04-02T10:00:01Z', 'v', 3, 0, 1, 0, 1, 'unnest')
                        """
                                .formatted(S1, S2, S3, S4));
                // audit times lag the scans by a second: the episodes take the scans' times
                st.execute(
                        """
                        insert into audit_log (at, account_id, zone_id, insight_id, action,
                                               from_status, to_status, changed_by, detail) values
                          ('2027-01-05T10:00:01Z', 'a1', 'z1', 1, 'opened', null, 'open',
                           'system', '{"scan_id": "%1$s"}'),
                          ('2027-02-03T10:00:01Z', 'a1', 'z1', 1, 'resolved', 'open', 'resolved',
                           'system', '{"scan_id": "%2$s"}'),
                          ('2027-03-10T10:00:01Z', 'a1', 'z1', 1, 'reopened', 'resolved', 'open',
                           'system', '{"scan_id": "%3$s"}'),
                          ('2027-01-05T10:00:01Z', 'a1', 'z1', 3, 'opened', null, 'open',
                           'system', '{"scan_id": "%1$s"}'),
                          ('2027-02-10T08:00:00Z', 'a1', 'z1', 3, 'dismissed', null, null,
                           'alice', '{"field": "dismissed"}'),
                          ('2027-04-02T10:00:01Z', 'a1', 'z1', 3, 'resolved', 'open', 'resolved',
                           'system', '{"scan_id": "%4$s"}')
                        """
                                .formatted(S1, S2, S3, S4));
            }

            Migrations.apply(pg.dataSource());

            assertThat(episodes(pg))
                    .containsExactly(
                            "1#1 2027-01-05T10:00Z..2027-02-03T10:00Z dismissed=false",
                            "1#2 2027-03-10T10:00Z..open dismissed=false",
                            "2#1 2027-01-06T10:00Z..2027-01-21T10:00Z dismissed=false",
                            "3#1 2027-01-05T10:00Z..2027-04-02T10:00Z dismissed=true");
        }
    }

    private static List<String> episodes(EmbeddedPostgres pg) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "select insight_id, episode, opened_at, resolved_at, dismissed"
                                        + " from insight_episodes order by insight_id, episode")) {
            while (rs.next()) {
                OffsetDateTime resolved = rs.getObject("resolved_at", OffsetDateTime.class);
                out.add(
                        rs.getLong("insight_id")
                                + "#"
                                + rs.getInt("episode")
                                + " "
                                + rs.getObject("opened_at", OffsetDateTime.class)
                                        .withOffsetSameInstant(java.time.ZoneOffset.UTC)
                                + ".."
                                + (resolved == null
                                        ? "open"
                                        : resolved.withOffsetSameInstant(java.time.ZoneOffset.UTC))
                                + " dismissed="
                                + rs.getBoolean("dismissed"));
            }
        }
        return out;
    }
}
