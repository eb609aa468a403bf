package dev.vigil.app;

import dev.vigil.inventory.PartitionSettings;
import dev.vigil.inventory.PartitionState;
import dev.vigil.inventory.PartitionedTable;
import dev.vigil.inventory.Partitions;
import dev.vigil.results.EpisodeRollups;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Partitions#upkeep} and the history rollups ({@link EpisodeRollups}) in the api role:
 * once at start, then every {@link PartitionSettings#every}, on one platform thread of its own so a
 * slow pass (one moving stray rows out of a default partition) never holds up a request. Every api
 * replica runs it; the database functions make concurrent passes safe (see {@link Partitions}).
 *
 * <p>Exports, per table, {@code vigil_partitions_ahead} (months after the current one with a
 * partition) and {@code vigil_partition_rows_in_default} (rows in its default partition), from the
 * last pass that answered: a failed pass is logged and keeps the last figures, so an alert on them
 * fires on what was last seen rather than flapping with the database. Before the first pass answers
 * they read -1.
 *
 * <p>Thread-safe: the figures are a volatile map replaced whole by the upkeep thread.
 */
final class PartitionUpkeep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionUpkeep.class);

    private final Partitions partitions;
    private final EpisodeRollups rollups;
    private final ScheduledExecutorService timer;
    private volatile Map<PartitionedTable, PartitionState> last = Map.of();

    private PartitionUpkeep(Partitions partitions, EpisodeRollups rollups) {
        this.partitions = partitions;
        this.rollups = rollups;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "partition-upkeep");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Registers the gauges; nothing runs until {@link #start}. */
    static PartitionUpkeep on(
            MeterRegistry registry, Partitions partitions, EpisodeRollups rollups) {
        PartitionUpkeep u = new PartitionUpkeep(partitions, rollups);
        for (PartitionedTable t : PartitionedTable.values()) {
            Gauge.builder("vigil_partitions_ahead", u, x -> x.ahead(t))
                    .description(
                            "months after the current one that have a partition (-1: no pass yet)")
                    .tag("table", t.table())
                    .strongReference(true)
                    .register(registry);
            Gauge.builder("vigil_partition_rows_in_default", u, x -> x.rowsInDefault(t))
                    .description("rows in the table's default partition (-1: no pass yet)")
                    .tag("table", t.table())
                    .strongReference(true)
                    .register(registry);
        }
        return u;
    }

    /** Runs a pass now and then every {@code settings.every()}; returns this. */
    PartitionUpkeep start(PartitionSettings settings) {
        // runOnce() catches what a pass throws, so the schedule never ends on a failure
        var _ =
                timer.scheduleWithFixedDelay(
                        this::runOnce, 0, settings.every().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass on the calling thread, table by table: a table the database refuses (or a database
     * that is away) is logged and keeps its last figures, and the other tables still get their
     * pass; then the history rollups' pass ({@link EpisodeRollups#refresh}). Returns whether every
     * step succeeded.
     */
    boolean runOnce() {
        boolean all = true;
        Map<PartitionedTable, PartitionState> next = new EnumMap<>(PartitionedTable.class);
        next.putAll(last);
        for (PartitionedTable t : PartitionedTable.values()) {
            try {
                next.put(t, partitions.upkeep(t));
            } catch (RuntimeException e) {
                all = false;
                log.warn(
                        "partition upkeep of {} failed, keeping its last figures; the next pass"
                                + " retries: {}",
                        t.table(),
                        e.toString());
            }
        }
        last = Map.copyOf(next);
        try {
            EpisodeRollups.Pass pass = rollups.refresh();
            if (!pass.rolled().isEmpty() || pass.recomputed() > 0) {
                log.info(
                        "history rollups: months rolled up {}, account months recomputed {}",
                        pass.rolled(),
                        pass.recomputed());
            }
        } catch (RuntimeException e) {
            all = false;
            log.warn(
                    "history rollup pass failed (the history routes read episodes meanwhile);"
                            + " the next pass retries: {}",
                    e.toString());
        }
        return all;
    }

    private double ahead(PartitionedTable t) {
        PartitionState s = last.get(t);
        return s == null ? -1 : s.monthsAhead();
    }

    private double rowsInDefault(PartitionedTable t) {
        PartitionState s = last.get(t);
        return s == null ? -1 : s.rowsInDefault();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("partition upkeep did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
