package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@code vigil} command in a child JVM that leads a session and process group of its own, as a
 * shell runs a foreground job in a terminal, so that a test can press Ctrl-C the way a terminal
 * does: SIGINT to the whole process group ({@link #ctrlC()}).
 *
 * <p>The child starts through {@code setsid} (it becomes the leader: its pid is its session and
 * group id) and {@code env --default-signal=INT}: a JVM started with SIGINT ignored, as every child
 * of a non-interactive shell's background job is (Maven under CI, say), keeps ignoring it. Its
 * temporary directory is one of the test's own, so that whatever it leaves behind there is seen;
 * zonky's unpacked PostgreSQL binaries stay in the shared cache ({@code ot.epg.working-dir}).
 * Standard output is read to its end; standard error goes to {@code target/<name>.stderr.log}.
 */
public final class ForegroundJob implements AutoCloseable {

    private final Process process;
    private final Path tmp;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Set<ProcessHandle> seen = new HashSet<>();

    private ForegroundJob(Process process, Path tmp) {
        this.process = process;
        this.tmp = tmp;
        this.reader =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try (BufferedReader r =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8))) {
                                        String line;
                                        while ((line = r.readLine()) != null) {
                                            lines.add(line);
                                        }
                                    } catch (IOException e) {
                                        lines.add("(reading the output failed: " + e + ")");
                                    }
                                });
    }

    /**
     * Starts {@code dev.vigil.DevMain args} (the clone's command line: demo, bench, chaos) with
     * {@code tmp} as its temporary directory.
     *
     * @param name names the standard-error log
     */
    public static ForegroundJob start(String name, Path tmp, String... args) throws IOException {
        Files.createDirectories(tmp);
        Path stderr = Path.of("target", name + ".stderr.log");
        Files.createDirectories(stderr.getParent());
        List<String> command = new ArrayList<>();
        command.addAll(List.of("setsid", "env", "--default-signal=INT"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add(
                "-Dot.epg.working-dir="
                        + Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.vigil.DevMain"));
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectError(stderr.toFile())
                        .start();
        return new ForegroundJob(p, tmp);
    }

    /** Waits until a line of output matches. */
    public String awaitLine(Predicate<String> line, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the child exited", () -> !process.isAlive())
                .until(() -> lines.stream().anyMatch(line));
        return lines.stream().filter(line).findFirst().orElseThrow();
    }

    /**
     * The child's pid, which is also its session and process group id (asserted: setsid ran in
     * place).
     */
    public long pgid() {
        long pid = process.pid();
        assertThat(session(pid)).as("session of the child " + pid).contains(pid);
        return pid;
    }

    /**
     * Remembers every process the child runs now (not the child itself): its descendants, and
     * processes whose command line names its temporary directory (the PostgreSQL postmaster, which
     * pg_ctl detaches from its parent) with theirs. {@link #assertNothingLeft} checks them all.
     */
    public Set<ProcessHandle> recordProcesses() {
        process.descendants().forEach(seen::add);
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != process.pid())
                .filter(h -> h.info().commandLine().orElse("").contains(tmp.toString()))
                .forEach(
                        h -> {
                            seen.add(h);
                            h.descendants().forEach(seen::add);
                        });
        return Set.copyOf(seen);
    }

    /** SIGINT to the child's whole process group, as a terminal's Ctrl-C. */
    public void ctrlC() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + pgid()).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill exited").isTrue();
        assertThat(kill.exitValue()).as("kill -INT -- -" + process.pid()).isZero();
    }

    /** Waits for the child to exit and reads its output to the end; returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("exited within " + timeout + "; output so far:\n" + output())
                .isTrue();
        assertThat(reader.join(Duration.ofSeconds(60))).as("output read to its end").isTrue();
        return process.exitValue();
    }

    public String output() {
        return String.join("\n", lines);
    }

    /**
     * After the exit: no process recorded by {@link #recordProcesses} lives (a dead postmaster may
     * take a moment to be reaped by init), none is left in the child's session, and the child's
     * temporary directory holds only the files named in {@code allowed}.
     */
    public void assertNothingLeft(Set<String> allowed) throws IOException {
        long sid = process.pid();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            assertThat(seen.stream().filter(ProcessHandle::isAlive).toList())
                                    .as("processes of the run still alive")
                                    .isEmpty();
                            assertThat(inSession(sid)).as("processes in session " + sid).isEmpty();
                        });
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !allowed.contains(n)))
                    .as("left in the child's temporary directory " + tmp)
                    .isEmpty();
        }
    }

    /** Kills whatever is still running (after a failed assertion). */
    @Override
    public void close() {
        seen.forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static List<Long> inSession(long sid) {
        return ProcessHandle.allProcesses()
                .map(ProcessHandle::pid)
                .filter(pid -> session(pid).equals(Optional.of(sid)))
                .toList();
    }

    /** The session of a process: field 6 of {@code /proc/<pid>/stat}; empty once it is gone. */
    public static Optional<Long> session(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty(); // gone meanwhile
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Optional.of(Long.parseLong(f[3]));
    }
}
