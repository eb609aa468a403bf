package dev.vigil.bench.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
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
    private final List<String> queuedAtOpen;

    /**
     * The queues the api works off in the background: work a phase before the window left there
     * competes with the window's own.
     */
    private static final List<String> QUEUES =
            List.of("insight_event_outbox", "alert_outbox", "episode_rollup_dirty");

    private DatabaseActivity(
            Jdbi jdbi, Instant since, long checkpoints, List<String> queuedAtOpen) {
        this.jdbi = jdbi;
        this.since = since;
        this.checkpoints = checkpoints;
        this.queuedAtOpen = List.copyOf(queuedAtOpen);
    }

    /** Opens a window now. */
    public static DatabaseActivity open(DataSource db) {
        Jdbi jdbi = Jdbi.create(db);
        Instant now =
                jdbi.withHandle(h -> h.createQuery("select now()").mapTo(Instant.class).one());
        return new DatabaseActivity(jdbi, now, checkpoints(jdbi), queued(jdbi));
    }

    /**
     * The background queues' rows when the window opened ("insight_event_outbox 1,200 rows"), then
     * the three tables with the most dead rows ("config_snapshots 24,000 dead rows").
     */
    public List<String> queuedAtOpen() {
        return queuedAtOpen;
    }

    /**
     * Vacuums and analyzes the whole database now, outside any transaction, so that the work the
     * phases before left to autovacuum is not done during what is measured next; answers what it
     * found and how long it took: "42,000 dead rows (config_snapshots 24,284, pg_toast_16407
     * 49,154, …), vacuumed in 2.1 s".
     */
    public static String vacuumAll(DataSource db) {
        Jdbi jdbi = Jdbi.create(db);
        List<String> most = new ArrayList<>();
        long dead =
                jdbi.withHandle(
                        h -> {
                            most.addAll(mostDead(h, ""));
                            return h.createQuery(
                                            "select coalesce(sum(n_dead_tup), 0)"
                                                    + " from pg_stat_all_tables")
                                    .mapTo(Long.class)
                                    .one();
                        });
        long t0 = System.nanoTime();
        jdbi.useHandle(h -> h.execute("vacuum (analyze)"));
        return String.format(
                "%,d dead rows (%s), vacuumed and analyzed in %.1f s",
                dead, String.join(", ", most), (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> queued(Jdbi jdbi) {
        List<String> out = new ArrayList<>();
        for (String table : QUEUES) {
            long rows =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery("select count(*) from " + table)
                                            .mapTo(Long.class)
                                            .one());
            out.add(String.format("%s %,d rows", table, rows));
        }
        // dead rows not yet vacuumed slow the statements that walk them
        out.addAll(jdbi.withHandle(h -> mostDead(h, " dead rows")));
        return out;
    }

    /** The three tables with the most dead rows: "config_snapshots 24,284" + {@code unit}. */
    private static List<String> mostDead(Handle h, String unit) {
        return h.createQuery(
                        "select relname, n_dead_tup from pg_stat_all_tables where n_dead_tup > 0"
                                + " order by n_dead_tup desc limit 3")
                .map(
                        (rs, ctx) ->
                                String.format(
                                        "%s %,d%s",
                                        rs.getString("relname"), rs.getLong("n_dead_tup"), unit))
                .list();
    }

    /**
     * What ran since the window opened, a partitioned table's partitions counted under its name:
     * "autovacuum config_snapshots", "autoanalyze insights (16 partitions)", "2 checkpoints"; empty
     * when nothing did.
     */
    public List<String> since() {
        List<String> out = new ArrayList<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select coalesce(p.relname, t.relname) as rel,
                                               p.relname is not null as partitioned,
                                               count(*) filter (where t.last_autovacuum >= :since)
                                                   as vacuumed,
                                               count(*) filter (where t.last_autoanalyze >= :since)
                                                   as analyzed
                                        from pg_stat_all_tables t
                                        left join pg_inherits i on i.inhrelid = t.relid
                                        left join pg_class p on p.oid = i.inhparent
                                        where t.last_autovacuum >= :since
                                           or t.last_autoanalyze >= :since
                                        group by 1, 2
                                        order by 1
                                        """)
                                .bind("since", since)
                                .map(
                                        (rs, ctx) -> {
                                            String rel = rs.getString("rel");
                                            boolean partitioned = rs.getBoolean("partitioned");
                                            ran(
                                                    out,
                                                    "autovacuum ",
                                                    rel,
                                                    partitioned,
                                                    rs.getLong("vacuumed"));
                                            ran(
                                                    out,
                                                    "autoanalyze ",
                                                    rel,
                                                    partitioned,
                                                    rs.getLong("analyzed"));
                                            return rel;
                                        })
                                .list());
        long ran = checkpoints(jdbi) - checkpoints;
        if (ran > 0) {
            out.add(ran + (ran == 1 ? " checkpoint" : " checkpoints"));
        }
        return out;
    }

    /**
     * Adds "autovacuum insights (16 partitions)" (or "autovacuum config_snapshots" for a table not
     * partitioned) when {@code n} of the table's relations ran {@code what}.
     */
    private static void ran(
            List<String> out, String what, String rel, boolean partitioned, long n) {
        if (n == 0) {
            return;
        }
        String partitions =
                !partitioned ? "" : n == 1 ? " (1 partition)" : " (" + n + " partitions)";
        out.add(what + rel + partitions);
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
