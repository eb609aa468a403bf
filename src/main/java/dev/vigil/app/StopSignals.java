package dev.vigil.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop, for the commands that run a while on this
 * machine ({@code demo}, {@code bench}, {@code chaos}): the first signal runs the caller's action
 * (count down a latch, interrupt the main thread), and the command drains, stops its child
 * processes and embedded servers itself, and reports. Left to the JVM, either signal ran the
 * shutdown hooks at once, which closed the embedded servers under the drain and wrote no report.
 *
 * <p>A second signal while stopping ends the process at once: its child processes (the JVMs it
 * started; not the embedded PostgreSQL, which pg_ctl detaches) are killed and the JVM halts with
 * 128 + the signal's number, leaving temporary directories behind.
 *
 * <p>A signal the JVM was started with ignored (a background job of a non-interactive shell, {@code
 * nohup}) stays ignored: the JVM does not let it be handled. Thread-safe: the handler runs on the
 * JVM's signal thread; {@link #received()} may be read from any thread.
 */
public final class StopSignals implements AutoCloseable {

    /**
     * A signal that asked to stop.
     *
     * @param name {@code INT} or {@code TERM}
     */
    public record Received(String name, int number) {
        /** The exit code a process stopped by this signal conventionally returns. */
        public int exitCode() {
            return 128 + number;
        }

        @Override
        public String toString() {
            return "SIG" + name;
        }
    }

    private static final List<String> NAMES = List.of("INT", "TERM");

    private final AtomicReference<@Nullable Received> received = new AtomicReference<>();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {}

    /**
     * Handles SIGINT and SIGTERM until {@link #close()}; {@code onFirst} runs once, on the JVM's
     * signal thread, for the first of them.
     */
    public static StopSignals install(Runnable onFirst) {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            Signal sig = new Signal(name);
            s.signals.add(sig);
            s.previous.add(
                    Signal.handle(
                            sig,
                            got -> {
                                Received r = new Received(got.getName(), got.getNumber());
                                if (!s.received.compareAndSet(null, r)) {
                                    ProcessHandle.current()
                                            .descendants()
                                            .forEach(ProcessHandle::destroyForcibly);
                                    Runtime.getRuntime().halt(r.exitCode());
                                }
                                onFirst.run();
                            }));
        }
        return s;
    }

    /** Handles SIGINT and SIGTERM by interrupting the calling thread once. */
    public static StopSignals interrupting() {
        Thread caller = Thread.currentThread();
        return install(caller::interrupt);
    }

    /** The first signal received, if any. */
    public Optional<Received> received() {
        return Optional.ofNullable(received.get());
    }

    /** Gives the signals back to the handlers they had before {@link #install}. */
    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
