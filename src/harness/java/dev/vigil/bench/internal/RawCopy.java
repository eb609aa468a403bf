package dev.vigil.bench.internal;

import dev.vigil.results.ResultFinding;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The ceiling the results writer is compared with: one plain {@code COPY ... FROM STDIN} of the
 * insight rows straight into a table, in one transaction, no upsert, no audit, no scan record. Rows
 * are encoded while they are sent, in 64 KiB chunks, as the writer's own COPY path does.
 */
public final class RawCopy {
    /** An unindexed, unconstrained table with the columns of {@code insights}. */
    public static final String BARE_TABLE = "bench_bare_insights";

    private static final String COLUMNS =
            "(account_id, zone_id, check_id, resource_key, severity, issue_type, subject, message,"
                    + " status, first_seen_at, last_seen_at, last_scan_id)";

    private RawCopy() {}

    /** Creates {@link #BARE_TABLE} (idempotent). */
    public static void createBareTable(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                var st = c.createStatement()) {
            st.execute(
                    "create table if not exists "
                            + BARE_TABLE
                            + " as select * from insights with no data");
        }
    }

    /**
     * One audit row for each insight of a zone, shaped as the results writer's audit of the
     * insights it opened (action, statuses, the scan's id and time as its detail, built once per
     * statement as the writer's {@code ScanDetail.BOUND} is).
     */
    private static final String AUDIT_ALL =
            """
            insert into audit_log (account_id, zone_id, insight_id, action, from_status, to_status,
                                   changed_by, detail)
            select i.account_id, i.zone_id, i.insight_id, 'opened', null, 'open', 'system',
                   (select jsonb_build_object('scan_id', cast(? as text),
                                              'scanned_at', cast(? as timestamptz)))
            from insights i
            where i.account_id = ? and i.zone_id = ?
            """;

    /** Copies {@code findings} of one zone into {@code table}; returns the rows PostgreSQL took. */
    public static long copy(
            DataSource ds, String table, String accountId, String zoneId, List<ResultFinding> rows)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            return copy(c, table, accountId, zoneId, rows, Instant.now(), UUID.randomUUID());
        }
    }

    /**
     * Copies {@code findings} of one zone into {@code insights}, then audits each as opened, in one
     * transaction: raw COPY plus the one row per opened insight that the results writer must add.
     * Returns the audit rows written.
     */
    public static long copyAudited(
            DataSource ds, String accountId, String zoneId, List<ResultFinding> rows)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant at = Instant.now();
                UUID scan = UUID.randomUUID();
                copy(c, "insights", accountId, zoneId, rows, at, scan);
                int audited;
                try (PreparedStatement ps = c.prepareStatement(AUDIT_ALL)) {
                    // Bound as the writer binds the scan's id and time (ScanDetail.BOUND).
                    ps.setString(1, scan.toString());
                    ps.setObject(2, at.atOffset(ZoneOffset.UTC));
                    ps.setString(3, accountId);
                    ps.setString(4, zoneId);
                    audited = ps.executeUpdate();
                }
                c.commit();
                return audited;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long copy(
            Connection c,
            String table,
            String accountId,
            String zoneId,
            List<ResultFinding> rows,
            Instant at,
            UUID scan)
            throws SQLException {
        String now = at.toString();
        String prefix = accountId + "\t" + zoneId + "\t";
        String suffix = "\topen\t" + now + "\t" + now + "\t" + scan + "\n";
        CopyIn in =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("copy " + table + " " + COLUMNS + " from stdin");
        try {
            byte[] buf = new byte[64 * 1024];
            int used = 0;
            StringBuilder row = new StringBuilder(256);
            for (ResultFinding f : rows) {
                row.setLength(0);
                row.append(prefix)
                        .append(f.checkId())
                        .append('\t')
                        .append(f.resourceKey())
                        .append('\t')
                        .append(f.severity().wire())
                        .append('\t')
                        .append(f.issueType().wire())
                        .append('\t')
                        .append(f.subject())
                        .append('\t')
                        .append(f.message())
                        .append(suffix);
                byte[] b = row.toString().getBytes(StandardCharsets.UTF_8);
                if (used + b.length > buf.length) {
                    in.writeToCopy(buf, 0, used);
                    used = 0;
                }
                System.arraycopy(b, 0, buf, used, b.length);
                used += b.length;
            }
            if (used > 0) {
                in.writeToCopy(buf, 0, used);
            }
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
