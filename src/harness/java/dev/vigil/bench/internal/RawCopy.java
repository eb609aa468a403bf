package dev.vigil.bench.internal;

import dev.vigil.results.ResultFinding;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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

    /** Copies {@code findings} of one zone into {@code table}; returns the rows PostgreSQL took. */
    public static long copy(
            DataSource ds, String table, String accountId, String zoneId, List<ResultFinding> rows)
            throws SQLException {
        String now = Instant.now().toString();
        String prefix = accountId + "\t" + zoneId + "\t";
        String suffix = "\topen\t" + now + "\t" + now + "\t" + UUID.randomUUID() + "\n";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
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
}
