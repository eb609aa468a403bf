package dev.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.internal.LocalResources;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    @Test
    void serverAnswersOnLoopbackWithTheThroughputSettings() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            assertThat(pg.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
            assertThat(setting(s, "server_version_num")).startsWith("17");
            assertThat(setting(s, "fsync")).isEqualTo("off");
            assertThat(setting(s, "synchronous_commit")).isEqualTo("off");
            assertThat(setting(s, "full_page_writes")).isEqualTo("off");
            assertThat(setting(s, "shared_buffers")).isEqualTo("256MB");
            assertThat(setting(s, "max_connections")).isEqualTo("200");
            assertThat(setting(s, "listen_addresses")).isEqualTo("127.0.0.1");
            // byte-by-byte text comparison whatever the caller's LANG (deploy/README.md)
            try (ResultSet rs =
                    s.executeQuery(
                            "select datcollate from pg_database where datname = current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("C");
            }
        }
    }

    @Test
    void dataSourceConnectsAsThePostgresUser() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_user, current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
            assertThat(rs.getString(2)).isEqualTo("postgres");
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDataDirectory() {
        EmbeddedPostgres pg = EmbeddedPostgres.start();
        int port = pg.port();
        assertThat(LocalResources.isListening(port)).isTrue();

        pg.close();

        assertThat(LocalResources.isListening(port)).isFalse();
        assertThat(pg.dataDir()).doesNotExist();
    }

    @Test
    void restartKeepsThePortAndEveryCommittedRowWhileOpenSessionsEnd() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            Connection before = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
            try (Statement s = before.createStatement()) {
                s.execute("create table kept (n int)");
                s.execute("insert into kept values (42)");
            }

            pg.stop();
            assertThat(LocalResources.isListening(pg.port())).isFalse();
            assertThat(pg.dataDir()).exists();
            pg.restart();

            assertThat(before.isValid(2)).as("a session of the old server").isFalse();
            before.close();
            try (Connection c =
                            DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select n from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    private static String setting(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("show " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
