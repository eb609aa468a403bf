package dev.vigil.inventory;

/**
 * The tables partitioned by month (V1__schema.sql): each has one partition per UTC month, named
 * {@code <table>_YYYYMM}, and a {@code <table>_default} partition that takes a row whose month has
 * none. Adding a table here needs it added to {@code vigil_partition_parent} in the migrations too.
 */
public enum PartitionedTable {
    /** Scans, by the time their result was applied. */
    SCANS("scans"),
    /** The audit log, by the time of the change. */
    AUDIT_LOG("audit_log");

    private final String table;

    PartitionedTable(String table) {
        this.table = table;
    }

    /** The partitioned parent's name, also the metrics' {@code table} label. */
    public String table() {
        return table;
    }

    /** The default partition's name. */
    public String defaultPartition() {
        return table + "_default";
    }
}
