package dev.vigil.app;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, kept for exactly this) is reached through method handles, not imported, because
 * javac warns about every mention of it and the build treats warnings as errors.
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

    private static final Class<?> SIGNAL = type("sun.misc.Signal");
    private static final Class<?> HANDLER = type("sun.misc.SignalHandler");
    private static final MethodHandle NEW_SIGNAL =
            handle(l -> l.findConstructor(SIGNAL, MethodType.methodType(void.class, String.class)));
    private static final MethodHandle HANDLE =
            handle(
                    l ->
                            l.findStatic(
                                    SIGNAL,
                                    "handle",
                                    MethodType.methodType(HANDLER, SIGNAL, HANDLER)));
    private static final MethodHandle GET_NUMBER =
            handle(l -> l.findVirtual(SIGNAL, "getNumber", MethodType.methodType(int.class)));

    private final AtomicReference<@Nullable Received> received = new AtomicReference<>();
    private final List<Object> signals = new ArrayList<>();
    private final List<Object> previous = new ArrayList<>();

    private StopSignals() {}

    /**
     * Handles SIGINT and SIGTERM until {@link #close()}; {@code onFirst} runs once, on the JVM's
     * signal thread, for the first of them.
     */
    public static StopSignals install(Runnable onFirst) {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            Object sig = invoke(NEW_SIGNAL, name);
            s.signals.add(sig);
            s.previous.add(
                    invoke(
                            HANDLE,
                            sig,
                            handler(
                                    number -> {
                                        Received r = new Received(name, number);
                                        if (!s.received.compareAndSet(null, r)) {
                                            ProcessHandle.current()
                                                    .descendants()
                                                    .forEach(ProcessHandle::destroyForcibly);
                                            Runtime.getRuntime().halt(r.exitCode());
                                        }
                                        onFirst.run();
                                    })));
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
            invoke(HANDLE, signals.get(i), previous.get(i));
        }
    }

    private interface OnSignal {
        void received(int number);
    }

    /** A {@code sun.misc.SignalHandler} that tells {@code onSignal} the signal's number. */
    private static Object handler(OnSignal onSignal) {
        return Proxy.newProxyInstance(
                HANDLER.getClassLoader(),
                new Class<?>[] {HANDLER},
                (proxy, method, args) -> {
                    if (method.getName().equals("handle") && args != null && args.length == 1) {
                        onSignal.received((int) invoke(GET_NUMBER, args[0]));
                        return null;
                    }
                    return objectMethod(proxy, method, args);
                });
    }

    // A proxy is equal only to itself: identity is the point here.
    @SuppressWarnings("ReferenceEquality")
    private static @Nullable Object objectMethod(
            Object proxy, Method method, @Nullable Object @Nullable [] args) {
        return switch (method.getName()) {
            case "equals" -> args != null && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "StopSignals handler";
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }

    private interface Lookup {
        MethodHandle find(MethodHandles.Lookup lookup) throws ReflectiveOperationException;
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    name + " is missing: this JDK lacks jdk.unsupported", e);
        }
    }

    private static MethodHandle handle(Lookup find) {
        try {
            return find.find(MethodHandles.publicLookup());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Signal changed: " + e, e);
        }
    }

    private static Object invoke(MethodHandle h, Object... args) {
        try {
            Object result = h.invokeWithArguments(args);
            if (result == null) {
                throw new IllegalStateException("sun.misc.Signal answered null");
            }
            return result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
