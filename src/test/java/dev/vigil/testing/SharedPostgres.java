package dev.vigil.testing;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped when the JVM exits, with
 * the production schema migrated once into a template database; each {@link TestPostgres} is a
 * fresh database copied from that template and dropped when the test closes it.
 *
 * <p>A copy costs a fraction of a second where a server of its own cost the test an {@code initdb},
 * a start, the migrations and a stop (about five seconds each time on a 2-core machine, over sixty
 * times in a run of the suite). The copies are as isolated as the servers were for what the tests
 * touch: tables, sequences, statistics, advisory locks and notifications are per database. Roles
 * are the cluster's, so a test names the ones it creates uniquely; a test that stops, kills or
 * reconfigures its server starts an {@link EmbeddedPostgres} of its own.
 */
final class SharedPostgres {

    private static final String TEMPLATE = "vigil_template";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static EmbeddedPostgres server;

    private SharedPostgres() {}

    /** The JVM's server, its template migrated; started on the first call. */
    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            EmbeddedPostgres pg = EmbeddedPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "shared-postgres-stop"));
            execute(pg, "postgres", "create database " + TEMPLATE);
            Migrations.apply(dataSource(pg, TEMPLATE));
            server = pg;
        }
        return server;
    }

    /** A new database copied from the migrated template; answers its name. */
    static String newDatabase() {
        EmbeddedPostgres pg = server();
        String name = "vigil_test_" + NEXT.incrementAndGet();
        execute(pg, "postgres", "create database " + name + " template " + TEMPLATE);
        return name;
    }

    /** Drops the database, ending the sessions still connected to it. */
    static void drop(String name) {
        execute(server(), "postgres", "drop database if exists " + name + " with (force)");
    }

    /** An unpooled data source for {@code database} as the server's superuser. */
    static PGSimpleDataSource dataSource(EmbeddedPostgres pg, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl(pg, database));
        ds.setUser(pg.user());
        ds.setPassword(pg.password());
        return ds;
    }

    static String jdbcUrl(EmbeddedPostgres pg, String database) {
        return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + database;
    }

    private static void execute(EmbeddedPostgres pg, String database, String sql) {
        try (Connection c = dataSource(pg, database).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "shared PostgreSQL on port " + pg.port() + ": " + sql + " failed", e);
        }
    }
}
