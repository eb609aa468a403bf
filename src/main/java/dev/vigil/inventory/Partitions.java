package dev.vigil.inventory;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the monthly partitions of the time-partitioned tables ({@link PartitionedTable}): makes the
 * current month's and the next {@link PartitionSettings#monthsAhead} months' partitions, and drops
 * those a table's {@link Retention} has expired. Months are UTC months of {@code clock}.
 *
 * <p>The DDL runs in {@code vigil_create_month_partition} and {@code vigil_drop_month_partition}
 * (V11__partition_upkeep.sql), which the api role may call although it holds no DDL rights; each
 * call is its own transaction and takes a transaction-scoped advisory lock, so replicas running
 * passes at the same moment each see the other's partitions and make every one exactly once. A
 * month whose rows went into the default partition (a pass missed for months) has them moved into
 * its new partition in the same transaction that makes it, so nothing stays in a default partition.
 * The database refuses to drop the current month or a later one whatever {@code clock} says.
 *
 * <p>Thread-safe: all state is in the database.
 */
public final class Partitions {
    private static final Logger log = LoggerFactory.getLogger(Partitions.class);
    private static final Pattern MONTH = Pattern.compile("_(\\d{4})(\\d{2})$");

    private final Jdbi jdbi;
    private final PartitionSettings settings;
    private final Clock clock;

    private Partitions(Jdbi jdbi, PartitionSettings settings, Clock clock) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.clock = clock;
    }

    public static Partitions create(DataSource ds, PartitionSettings settings, Clock clock) {
        return new Partitions(Jdbi.create(ds), settings, clock);
    }

    /**
     * One pass over every table ({@link #upkeep(PartitionedTable)} for each, in turn).
     *
     * @throws org.jdbi.v3.core.JdbiException at the first table the database refuses or cannot be
     *     reached for; what was made or dropped before stays made or dropped
     */
    public Map<PartitionedTable, PartitionState> upkeep() {
        Map<PartitionedTable, PartitionState> states = new EnumMap<>(PartitionedTable.class);
        for (PartitionedTable t : PartitionedTable.values()) {
            states.put(t, upkeep(t));
        }
        return states;
    }

    /**
     * One pass over {@code t}: make the coming months' partitions, drop the expired ones, read what
     * is there. Blocks for the statements, each its own transaction.
     *
     * @throws org.jdbi.v3.core.JdbiException when the database refuses or cannot be reached; the
     *     partitions made or dropped before the failure stay made or dropped
     */
    public PartitionState upkeep(PartitionedTable t) {
        Instant now = clock.instant();
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<YearMonth> created = new ArrayList<>();
        for (int i = 0; i <= settings.monthsAhead(); i++) {
            YearMonth m = current.plusMonths(i);
            if (call("vigil_create_month_partition", t, m)) {
                created.add(m);
            }
        }
        Retention retention = settings.retentionOf(t);
        List<YearMonth> dropped = new ArrayList<>();
        for (YearMonth m : months(t)) {
            if (retention.expired(m, now) && call("vigil_drop_month_partition", t, m)) {
                dropped.add(m);
            }
        }
        PartitionState state = state(t, current, created, dropped);
        if (!created.isEmpty() || !dropped.isEmpty()) {
            log.info(
                    "partitions of {}: made {}, dropped {} (retention {}), {} months ahead",
                    t.table(),
                    created,
                    dropped,
                    retention,
                    state.monthsAhead());
        }
        if (state.rowsInDefault() > 0) {
            log.warn(
                    "{} holds {} rows of months without a partition: they are moved when their"
                            + " month's partition is made, which upkeep does only for the current"
                            + " month and up to {} ahead ({})",
                    t.defaultPartition(),
                    state.rowsInDefault(),
                    settings.monthsAhead(),
                    PartitionSettings.MONTHS_AHEAD.name());
        }
        return state;
    }

    /**
     * What exists now for {@code table}, measured against {@code clock}'s month; changes nothing.
     */
    public PartitionState state(PartitionedTable table) {
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        return state(table, current, List.of(), List.of());
    }

    private PartitionState state(
            PartitionedTable t,
            YearMonth current,
            List<YearMonth> created,
            List<YearMonth> dropped) {
        List<YearMonth> months = months(t);
        TreeSet<YearMonth> present = new TreeSet<>(months);
        int ahead = 0;
        while (present.contains(current.plusMonths(ahead + 1L))) {
            ahead++;
        }
        long rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                // the default is empty unless a month lacked its
                                                // partition, so this count reads next to nothing
                                                "select count(*) as stray from "
                                                        + t.defaultPartition())
                                        .mapTo(Long.class)
                                        .one());
        return new PartitionState(t, created, dropped, months, ahead, rows);
    }

    /** The months that have a partition of {@code t}, oldest first. */
    private List<YearMonth> months(PartitionedTable t) {
        List<String> names =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select c.relname as partition_name
                                                  from pg_inherits i
                                                  join pg_class c on c.oid = i.inhrelid
                                                 where i.inhparent = to_regclass(:parent)
                                                """)
                                        .bind("parent", t.table())
                                        .mapTo(String.class)
                                        .list());
        TreeSet<YearMonth> months = new TreeSet<>();
        for (String name : names) {
            Matcher m = MONTH.matcher(name);
            if (name.startsWith(t.table() + "_") && m.find()) {
                months.add(
                        YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
        }
        return List.copyOf(months);
    }

    private boolean call(String function, PartitionedTable t, YearMonth month) {
        return jdbi.withHandle(
                (Handle h) ->
                        h.createQuery("select " + function + "(:parent, :month) as done")
                                .bind("parent", t.table())
                                .bind("month", month.atDay(1))
                                .mapTo(Boolean.class)
                                .one());
    }
}
