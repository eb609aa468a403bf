package dev.vigil.inventory;

import java.time.YearMonth;
import java.util.List;

/**
 * What one pass of {@link Partitions#upkeep} found and did for one table.
 *
 * @param table the partitioned table
 * @param created months whose partition this pass made (empty when another replica did)
 * @param dropped months whose partition this pass dropped as expired
 * @param months months that have a partition after the pass, oldest first
 * @param monthsAhead consecutive months after the current one that have a partition
 * @param rowsInDefault rows in the table's default partition (0 unless a month lacked a partition)
 */
public record PartitionState(
        PartitionedTable table,
        List<YearMonth> created,
        List<YearMonth> dropped,
        List<YearMonth> months,
        int monthsAhead,
        long rowsInDefault) {

    public PartitionState {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
        months = List.copyOf(months);
    }
}
