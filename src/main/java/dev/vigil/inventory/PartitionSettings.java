package dev.vigil.inventory;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Partition upkeep of the api role: how far ahead monthly partitions are made, how often, and how
 * long each time-partitioned table keeps its months.
 *
 * @param monthsAhead months after the current one that always have a partition
 * @param every time between two upkeep passes
 * @param retention per table, how long its partitions are kept
 */
public record PartitionSettings(
        int monthsAhead, Duration every, Map<PartitionedTable, Retention> retention) {

    /**
     * Default lead: three months, what the schema created at migration; a missed pass (api down,
     * database unreachable) then has weeks before a row could fall into a default partition.
     */
    public static final int DEFAULT_MONTHS_AHEAD = 3;

    /** Hourly: a pass is a handful of catalogue reads when nothing is due. */
    public static final String DEFAULT_EVERY = "1h";

    /** Scans: a year of history plus the month in progress, for year-over-year comparisons. */
    public static final int DEFAULT_RETENTION_SCANS_MONTHS = 13;

    /**
     * Audit log: two years plus the month in progress; audit trails are commonly kept longer than
     * operational data (e.g. PCI DSS asks for one year, SOC 2 auditors often look back two).
     */
    public static final int DEFAULT_RETENTION_AUDIT_MONTHS = 25;

    public static final Setting<Integer> MONTHS_AHEAD =
            Setting.integer(
                    "VIGIL_PARTITIONS_AHEAD",
                    DEFAULT_MONTHS_AHEAD,
                    1,
                    60,
                    "months after the current one for which the api role keeps monthly"
                            + " partitions of scans and audit_log made");

    public static final Setting<Duration> EVERY =
            Setting.duration(
                    "VIGIL_PARTITION_UPKEEP_EVERY",
                    DEFAULT_EVERY,
                    "how often the api role makes coming partitions and drops expired ones");

    public static final Setting<Retention> RETENTION_SCANS =
            retention("SCANS", "scans", DEFAULT_RETENTION_SCANS_MONTHS);

    public static final Setting<Retention> RETENTION_AUDIT =
            retention("AUDIT", "audit_log", DEFAULT_RETENTION_AUDIT_MONTHS);

    public PartitionSettings {
        retention = Map.copyOf(retention);
        for (PartitionedTable t : PartitionedTable.values()) {
            if (!retention.containsKey(t)) {
                throw new IllegalArgumentException("no retention for " + t.table());
            }
        }
    }

    public static PartitionSettings from(Env env) {
        Map<PartitionedTable, Retention> r = new EnumMap<>(PartitionedTable.class);
        for (PartitionedTable t : PartitionedTable.values()) {
            r.put(t, env.get(retentionSetting(t)));
        }
        return new PartitionSettings(env.get(MONTHS_AHEAD), env.get(EVERY), r);
    }

    /** The retention of {@code table}. */
    public Retention retentionOf(PartitionedTable table) {
        return Objects.requireNonNull(retention.get(table), table.table());
    }

    /** The setting that says how long {@code table}'s partitions are kept. */
    public static Setting<Retention> retentionSetting(PartitionedTable table) {
        return switch (table) {
            case SCANS -> RETENTION_SCANS;
            case AUDIT_LOG -> RETENTION_AUDIT;
        };
    }

    private static Setting<Retention> retention(String suffix, String table, int def) {
        return new Setting<>(
                "VIGIL_RETENTION_" + suffix,
                Integer.toString(def),
                "months of "
                        + table
                        + " kept: a month's partition is dropped once it ended this many months"
                        + " ago (0 or off: keep everything)",
                false,
                "a number of months from 0 to " + Retention.MAX_MONTHS + ", or off",
                Retention::parse);
    }
}
