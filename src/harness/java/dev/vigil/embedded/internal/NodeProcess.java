package dev.vigil.embedded.internal;

import dev.vigil.embedded.ChildProcesses;
import dev.vigil.embedded.OwnSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One Kafka node as a child JVM ({@link KafkaNodeMain}) of this JVM's class path and {@code java},
 * in a session of its own ({@link OwnSession}: a terminal's Ctrl-C reaches the owner only, which
 * then ends its nodes itself), its output appended to a file across restarts. Not thread-safe: the
 * cluster drives it under its own lock.
 */
public final class NodeProcess {

    /**
     * Small heap, C1 only, serial GC: three nodes share two cores with six role JVMs and
     * PostgreSQL. 384 MB holds the suite's topics (a few MB of records) with room for the fetch and
     * socket buffers.
     */
    static final List<String> JVM =
            List.of(
                    "-Xmx384m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-XX:CICompilerCount=1",
                    "--sun-misc-unsafe-memory-access=allow",
                    "--enable-native-access=ALL-UNNAMED");

    private final int id;
    private final Path properties;
    private final Path output;
    private final Path tmp;
    private @Nullable Process process;

    /**
     * @param properties the node's {@code server.properties}; its directory also holds the node's
     *     temporary directory {@code tmp}
     * @param output the file the node's output is appended to
     */
    public NodeProcess(int id, Path properties, Path output) {
        this.id = id;
        this.properties = properties;
        this.output = output;
        this.tmp = properties.resolveSibling("tmp");
    }

    public int id() {
        return id;
    }

    /** Starts the JVM (a previous one still alive is killed first); returns at once. */
    public void start() {
        kill();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        // A temporary directory of the node's own, deleted with the cluster's: a killed JVM leaves
        // what it extracted there (lz4's native library) behind.
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KafkaNodeMain.class.getName());
        command.add(properties.toString());
        try {
            Files.createDirectories(output.getParent());
            Files.createDirectories(tmp);
            process =
                    new ProcessBuilder(OwnSession.command(command))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + id + ": " + command, e);
        }
    }

    /**
     * SIGKILL to the JVM and anything it started, and waits (uninterrupted) until it is gone: no
     * shutdown hook runs, the node's sockets close as in a crash. Idempotent.
     */
    public void kill() {
        Process p = process;
        if (p != null) {
            ChildProcesses.kill(p);
        }
    }

    /**
     * SIGTERM (a controlled shutdown: the node hands its leaderships over and unregisters), then
     * SIGKILL when it has not exited within {@code deadline}. Waits uninterrupted.
     *
     * @return whether it stopped by itself within the deadline
     */
    public boolean stop(Duration deadline) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return true;
        }
        p.destroy();
        if (ChildProcesses.awaitExit(p, deadline)) {
            return true;
        }
        kill();
        return false;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The running JVM, or empty when it is not running. */
    public Optional<ProcessHandle> handle() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
    }

    /** The exit code of the last run, or -1 while it runs or before the first start. */
    public int exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? -1 : p.exitValue();
    }

    /** The last {@code lines} lines of the node's output, for an error message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        Process p = process;
        return "kafka-" + id + (p == null ? "" : " (pid " + p.pid() + ")");
    }
}
