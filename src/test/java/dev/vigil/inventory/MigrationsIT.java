package dev.vigil.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MigrationsIT {

    private static EmbeddedPostgres pg;

    @BeforeAll
    static void migrate() {
        pg = EmbeddedPostgres.start();
        Migrations.apply(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void schemaHasEveryTable() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select tablename from pg_tables where schemaname = 'public'"
                                        + " and tablename not like '%\\_p%' and tablename not like '%\\_2%'")) {
            while (rs.next()) {
                tables.add(rs.getString("tablename"));
            }
        }
        assertThat(tables)
                .contains(
                        "targets",
                        "config_snapshots",
                        "insights",
                        "scans",
                        "audit_log",
                        "api_tokens",
                        "scans_default",
                        "audit_log_default");
    }

    @Test
    void applyingAgainByUrlChangesNothing() throws Exception {
        int before = appliedMigrations();
        Migrations.apply(pg.jdbcUrl(), pg.user(), pg.password());
        assertThat(appliedMigrations()).isEqualTo(before).isPositive();
    }

    private static int appliedMigrations() throws Exception {
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select count(*) as applied from flyway_schema_history where success")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt("applied");
        }
    }

    /**
     * An index whose columns lead another index of the same table serves no lookup the longer one
     * does not and costs every write (insights_zone_idx, a prefix of the insights' identity,
     * dropped by V26). Unique and partial indexes say more than their columns and are left out.
     */
    @Test
    void noIndexIsALeadingPartOfAnother() throws Exception {
        record Index(String table, String name, String columns, boolean unique, boolean partial) {}
        List<Index> indexes = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                """
                                select t.relname as tbl, i.relname as idx,
                                       array_to_string(x.indkey::int2[], ' ') || ' ' as cols,
                                       x.indisunique as uniq, x.indpred is not null as partial
                                from pg_index x
                                join pg_class i on i.oid = x.indexrelid
                                join pg_class t on t.oid = x.indrelid
                                join pg_namespace n on n.oid = t.relnamespace
                                where n.nspname = 'public' and not t.relispartition
                                  and x.indexprs is null
                                """)) {
            while (rs.next()) {
                indexes.add(
                        new Index(
                                rs.getString("tbl"),
                                rs.getString("idx"),
                                rs.getString("cols"),
                                rs.getBoolean("uniq"),
                                rs.getBoolean("partial")));
            }
        }
        List<String> redundant = new ArrayList<>();
        for (Index shorter : indexes) {
            for (Index longer : indexes) {
                if (!shorter.unique()
                        && !shorter.partial()
                        && !longer.partial()
                        && shorter.table().equals(longer.table())
                        && !shorter.name().equals(longer.name())
                        && longer.columns().startsWith(shorter.columns())) {
                    redundant.add(shorter.name() + " leads " + longer.name());
                }
            }
        }

        assertThat(indexes).extracting(Index::name).contains("insights_open_idx");
        assertThat(redundant).isEmpty();
    }

    @Test
    void insightIdentityTreatsNullZonesAsEqual() throws Exception {
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(insertInsight("acct-nulls"));

            assertThatThrownBy(() -> s.execute(insertInsight("acct-nulls")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("duplicate key");
        }
    }

    @Test
    void insightIdentityAllowsTheSameCheckOnAnotherAccount() throws Exception {
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(insertInsight("acct-a"));
            s.execute(insertInsight("acct-b"));
            try (ResultSet rs =
                    s.executeQuery(
                            "select count(*) as n from insights where account_id in ('acct-a', 'acct-b')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("n")).isEqualTo(2);
            }
        }
    }

    private static String insertInsight(String account) {
        return """
                insert into insights (account_id, zone_id, check_id, resource_key, severity,
                    issue_type, subject, message, status, first_seen_at, last_seen_at, last_scan_id)
                values ('%s', null, 'account.mfa', 'member:1', 'high', 'security', 'member 1',
                    'MFA off', 'open', now(), now(), gen_random_uuid())
                """
                .formatted(account);
    }
}
