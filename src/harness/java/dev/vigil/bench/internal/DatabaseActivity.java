package dev.vigil.bench.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL's own background work over a window of a benchmark (autovacuum and autoanalyze runs,
 * checkpoints), so that a latency tail can be set beside what the database did meanwhile. Read from
 * the statistics views; the window is read on the database's clock.
 */
public final class DatabaseActivity {

    private final Jdbi jdbi;
    private final Instant since;
    private final long checkpoints;

    private DatabaseActivity(Jdbi jdbi, Instant since, long checkpoints) {
        this.jdbi = jdbi;
        this.since = since;
        this.checkpoints = checkpoints;
    }

    /** Opens a window now. */
    public static DatabaseActivity open(DataSource db) {
        Jdbi jdbi = Jdbi.create(db);
        Instant now =
                jdbi.withHandle(h -> h.createQuery("select now()").mapTo(Instant.class).one());
        return new DatabaseActivity(jdbi, now, checkpoints(jdbi));
    }

    /**
     * What ran since the window opened: "autovacuum insights_p3", "autoanalyze scans_2026_12", "2
     * checkpoints"; empty when nothing did.
     */
    public List<String> since() {
        List<String> out = new ArrayList<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select relname,
                                               coalesce(last_autovacuum >= :since, false) as vacuumed,
                                               coalesce(last_autoanalyze >= :since, false) as analyzed
                                        from pg_stat_all_tables
                                        where last_autovacuum >= :since or last_autoanalyze >= :since
                                        order by relname
                                        """)
                                .bind("since", since)
                                .map(
                                        (rs, ctx) -> {
                                            String rel = rs.getString("relname");
                                            if (rs.getBoolean("vacuumed")) {
                                                out.add("autovacuum " + rel);
                                            }
                                            if (rs.getBoolean("analyzed")) {
                                                out.add("autoanalyze " + rel);
                                            }
                                            return rel;
                                        })
                                .list());
        long ran = checkpoints(jdbi) - checkpoints;
        if (ran > 0) {
            out.add(ran + (ran == 1 ? " checkpoint" : " checkpoints"));
        }
        return out;
    }

    private static long checkpoints(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select num_timed + num_requested from"
                                                + " pg_stat_checkpointer")
                                .mapTo(Long.class)
                                .one());
    }
}
