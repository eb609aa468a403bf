package dev.vigil.app;

import dev.vigil.embedded.ChildProcesses;
import dev.vigil.embedded.LoopbackPorts;
import dev.vigil.embedded.OwnSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One production role ({@code vigil scheduler}, {@code worker --lane …}, {@code api}) in a child
 * JVM of this one's class path, with the JVM options its caller chooses (the fault suite runs six
 * small ones; the benchmark sizes them as the Helm chart does). Its output is appended to {@code
 * <name>.log}, across restarts. Each runs in a session of its own ({@link OwnSession}): a
 * terminal's Ctrl-C reaches the caller only, which stops its roles with {@link #stop}. Not
 * thread-safe: a caller drives each process from one thread.
 */
public final class RoleProcess {

    private final List<String> jvmOptions;
    private final String name;
    private final List<String> args;
    private final Map<String, String> env;
    private final int managementPort;
    private final Path log;
    private @Nullable Process process;
    private boolean stopped;

    /**
     * @param managementPort the fixed port of the role's management endpoint (kept across restarts,
     *     so the suite can ask a scheduler whether it leads)
     */
    public RoleProcess(
            String name,
            List<String> jvmOptions,
            List<String> args,
            Map<String, String> env,
            int managementPort,
            Path dir) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.name = name;
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.managementPort = managementPort;
        this.log = dir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    /** Starts the process (again; a previous run still alive is killed first); returns at once. */
    public void start() throws InterruptedException {
        kill();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vigil.Main");
        command.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(OwnSession.command(command))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        stopped = false;
        pb.environment().putAll(env);
        pb.environment().put("VIGIL_MANAGEMENT_PORT", Integer.toString(managementPort));
        try {
            Files.createDirectories(log.getParent());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start role process " + name + " " + args, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Waits for the death. */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM: the role drains and shuts down cleanly; waits up to {@code deadline}, then kills it
     * and anything it started ({@link ChildProcesses#kill}). Completes even when the calling thread
     * is interrupted (a caller stopping on Ctrl-C interrupts its main thread, which then closes its
     * roles); the interrupt is restored on return.
     */
    public void stop(Duration deadline) {
        stopped = true;
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!ChildProcesses.awaitExit(p, deadline)) {
            ChildProcesses.kill(p);
        }
    }

    /**
     * True before the first {@link #start()}, and after {@link #stop} until the next start: its
     * absence is intended, so a supervisor must not start it.
     */
    public boolean stopped() {
        return stopped || process == null;
    }

    /** The exit code of the last run, or -1 while it runs or before the first start. */
    public int exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? -1 : p.exitValue();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The running process, or empty when it is not running. */
    public Optional<ProcessHandle> handle() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
    }

    /** True once the role's management endpoint answers {@code /readyz} with 200. */
    public boolean ready(HttpClient http) {
        return get(http, "/readyz") != null;
    }

    /**
     * Why the role is or is not ready, in one line: not running (and its exit code), no answer from
     * its management endpoint (and why), or {@code /readyz}'s status with the checks it lists (a
     * 503 names the failing ones). For the message of a start that timed out.
     */
    public String readiness(HttpClient http) {
        if (!isAlive()) {
            return "not running (exit code " + exitCode() + ")";
        }
        Answer a = ask(http, "/readyz");
        return a.status() < 0
                ? "no answer on /readyz (" + a.body() + ")"
                : "/readyz " + a.status() + ": " + a.body().strip().replace('\n', ';');
    }

    /** The last {@code n} lines of the role's log (across its restarts), or why there are none. */
    public List<String> logTail(int n) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            ArrayDeque<String> tail = new ArrayDeque<>(n);
            lines.forEach(
                    l -> {
                        if (tail.size() == n) {
                            tail.removeFirst();
                        }
                        tail.addLast(l);
                    });
            return List.copyOf(tail);
        } catch (IOException | UncheckedIOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    /** True when this process is a scheduler holding the leader lock. */
    public boolean leads(HttpClient http) {
        String metrics = get(http, "/metrics");
        if (metrics == null) {
            return false;
        }
        return metrics.lines()
                .anyMatch(l -> l.startsWith("vigil_scheduler_leader") && l.endsWith(" 1.0"));
    }

    private @Nullable String get(HttpClient http, String path) {
        if (!isAlive()) {
            return null;
        }
        Answer a = ask(http, path);
        return a.status() == 200 ? a.body() : null;
    }

    /**
     * The management endpoint's answer at {@code path}: its status and body, or status -1 and why
     * there was none.
     */
    private Answer ask(HttpClient http, String path) {
        try {
            HttpResponse<String> r = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted");
        }
    }

    private record Answer(int status, String body) {}

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(2))
                .build();
    }

    /** A free loopback port for a role's API or management endpoint. */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    @Override
    public String toString() {
        return name + " " + args;
    }
}
