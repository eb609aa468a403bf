package dev.vigil.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/**
 * An online base backup of a running PostgreSQL into a new data directory, configured as a
 * streaming standby: what {@code pg_basebackup -R} does, done with PostgreSQL's low-level backup
 * API ({@code pg_backup_start}/{@code pg_backup_stop} in one session) and a file copy, because the
 * embedded binaries ship {@code initdb}, {@code pg_ctl} and {@code postgres} only.
 *
 * <p>The WAL the standby needs from the start of the backup on is held by a physical replication
 * slot created (reserving WAL at once) before the backup starts, and streamed from it: the copy
 * leaves {@code pg_wal} empty, as the PostgreSQL documentation recommends.
 */
public final class BaseBackup {

    /** Entries of a data directory whose contents a backup leaves out (they are rebuilt). */
    private static final Set<String> EMPTIED =
            Set.of(
                    "pg_wal",
                    "pg_replslot",
                    "pg_dynshmem",
                    "pg_notify",
                    "pg_serial",
                    "pg_snapshots",
                    "pg_stat_tmp",
                    "pg_subtrans");

    /** Files a backup leaves out: the running server's own, and zonky's lock. */
    private static final Set<String> SKIPPED =
            Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "standby.signal");

    private BaseBackup() {}

    /**
     * Copies the running server at {@code primaryDataDir} into the empty directory {@code target}
     * and configures the copy as a standby streaming from {@code primaryPort} through the slot
     * {@code name}, reporting itself as {@code name} ({@code application_name}, the name {@code
     * synchronous_standby_names} lists).
     *
     * @param primary a data source of the primary, as its superuser
     */
    public static void take(
            DataSource primary, Path primaryDataDir, int primaryPort, String name, Path target)
            throws SQLException {
        try (Connection c = primary.getConnection();
                Statement s = c.createStatement()) {
            s.execute("select pg_create_physical_replication_slot('" + name + "', true)");
            s.execute("select pg_backup_start('" + name + "', true)");
            String label;
            try {
                copy(primaryDataDir, target);
            } finally {
                try (ResultSet r = s.executeQuery("select labelfile from pg_backup_stop(false)")) {
                    r.next();
                    label = r.getString(1);
                }
            }
            write(target.resolve("backup_label"), label);
            write(target.resolve("standby.signal"), "");
            append(
                    target.resolve("postgresql.auto.conf"),
                    "primary_conninfo = 'host="
                            + LocalResources.LOOPBACK
                            + " port="
                            + primaryPort
                            + " user=postgres application_name="
                            + name
                            + "'\nprimary_slot_name = '"
                            + name
                            + "'\n"
                            // promoted, this server has no standby of its own to wait for
                            + "synchronous_standby_names = ''\n");
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.walkFileTree(
                    from,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(
                                Path dir, BasicFileAttributes attrs) throws IOException {
                            if (dir.equals(from)) {
                                // PostgreSQL refuses a data directory others may read
                                Files.setPosixFilePermissions(
                                        to, PosixFilePermissions.fromString("rwx------"));
                                return FileVisitResult.CONTINUE;
                            }
                            Path d = to.resolve(from.relativize(dir).toString());
                            Files.copy(dir, d, StandardCopyOption.COPY_ATTRIBUTES);
                            if (EMPTIED.contains(dir.getFileName().toString())) {
                                if (dir.getFileName().toString().equals("pg_wal")) {
                                    Files.createDirectories(d.resolve("archive_status"));
                                }
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            String name = file.getFileName().toString();
                            if (SKIPPED.contains(name) || name.startsWith("pgsql_tmp")) {
                                return FileVisitResult.CONTINUE;
                            }
                            try {
                                Files.copy(
                                        file,
                                        to.resolve(from.relativize(file).toString()),
                                        StandardCopyOption.COPY_ATTRIBUTES);
                            } catch (NoSuchFileException e) {
                                // dropped by the server during the copy: WAL replay recreates
                                // whatever the standby needs
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e)
                                throws IOException {
                            if (e instanceof NoSuchFileException) {
                                return FileVisitResult.CONTINUE;
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
