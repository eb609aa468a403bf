package dev.vigil.bench.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A year of insight history for the {@code history} scenario, generated inside PostgreSQL: one zone
 * per target, one insight per zone, one to three episodes per insight spread over the last 365 days
 * (one every 120 days), durations skewed short and scaled by severity (critical up to 20 days, high
 * 60, moderate 100, low 110), every fifth insight still open in its last episode, one in fifty
 * dismissed. A tenth of the targets belong to one large account ({@link #LARGE_ACCOUNT}); the rest
 * are spread over the other accounts. Deterministic: the same size gives the same rows.
 *
 * <p>The rows are written as a backfill would be, with the triggers off for the session ({@code
 * session_replication_role = replica}): the episodes are the history, not a replay of it.
 */
public final class HistorySeed {

    /** The account holding a tenth of the targets, whose year the scenario reads. */
    public static final String LARGE_ACCOUNT = "acct-large";

    private static final String ACCOUNT =
            "case when t <= %1$d / 10 then '"
                    + LARGE_ACCOUNT
                    + "'"
                    + " else 'acct-' || lpad((t %% %2$d)::text, 4, '0') end";

    /** Severity, check and duration draw from the target number. */
    private static final String SEVERITY =
            "(array['critical', 'high', 'high', 'moderate', 'moderate', 'low'])[1 + t % 6]";

    private HistorySeed() {}

    /**
     * Writes the history of {@code targets} targets over {@code accounts} accounts.
     *
     * @return the episodes written
     */
    public static long write(DataSource db, int targets, int accounts) throws SQLException {
        String account = String.format(ACCOUNT, targets, accounts - 1);
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("set session_replication_role = replica");
            st.execute(
                    "insert into insight_episodes (account_id, insight_id, episode, zone_id,"
                            + " check_id, severity, opened_at, resolved_at, dismissed)"
                            + " select account_id, t, j, 'zone-' || t, 'bench.check-' || (t % 40),"
                            + " severity, opened, case when j = last and t % 5 = 0 then null"
                            + " else opened + make_interval(secs => duration) end,"
                            + " t % 50 = 0 and j = last"
                            + " from (select t, j, 1 + t % 3 as last, "
                            + account
                            + " as account_id, "
                            + SEVERITY
                            + " as severity,"
                            + " now() - interval '365 days' + (j - 1) * interval '120 days'"
                            + " + make_interval(secs => (t * 7919 + j * 104729) % 864000) as opened,"
                            + " power(((t * 31 + j * 17) % 1000) / 1000.0, 2) * 86400"
                            + " * (case when t % 6 = 0 then 20 when t % 6 < 3 then 60"
                            + " when t % 6 < 5 then 100 else 110 end) as duration"
                            + " from generate_series(1::bigint, "
                            + targets
                            + ") t, generate_series(1, 3) j where j <= 1 + t % 3) x");
            st.execute(
                    "insert into insights (insight_id, account_id, zone_id, check_id,"
                            + " resource_key, severity, issue_type, subject, message, status,"
                            + " dismissed, first_seen_at, last_seen_at, resolved_at, last_scan_id)"
                            + " select e.insight_id, e.account_id, e.zone_id, e.check_id, 'zone',"
                            + " e.severity, 'insecure_configuration', e.zone_id || '.example',"
                            + " 'bench history', case when e.resolved_at is null then 'open'"
                            + " else 'resolved' end, e.dismissed, f.opened_at,"
                            + " coalesce(e.resolved_at, now()), e.resolved_at, gen_random_uuid()"
                            + " from insight_episodes e join insight_episodes f"
                            + " on f.account_id = e.account_id and f.insight_id = e.insight_id"
                            + " and f.episode = 1"
                            + " where e.episode = 1 + e.insight_id % 3");
            st.execute("set session_replication_role = origin");
            st.execute("analyze insights");
            st.execute("analyze insight_episodes");
            try (var rs = st.executeQuery("select count(*) from insight_episodes")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
