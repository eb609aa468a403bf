package dev.vigil.app;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a role stops on SIGTERM (or Ctrl-C): it closes, draining what it has in flight, within
 * {@value #TIMEOUT_NAME}; past that deadline the process exits anyway, leaving the unfinished work
 * uncommitted (Kafka redelivers it, the scheduler's claims roll back), so that the orchestrator
 * never has to kill it. Keep the deadline below the pod's {@code terminationGracePeriodSeconds} and
 * above the worker's drain deadline ({@code VIGIL_WORKER_SHUTDOWN_DEADLINE}).
 */
public final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    static final String TIMEOUT_NAME = "VIGIL_SHUTDOWN_TIMEOUT";

    public static final Setting<Duration> TIMEOUT =
            Setting.duration(
                    TIMEOUT_NAME,
                    "30s",
                    "how long a role may take to stop after SIGTERM before it exits regardless");

    private Shutdown() {}

    /**
     * Reads the deadline from {@code env} (so a bad value fails before anything starts), installs
     * the shutdown hook, starts the role and runs it until the JVM is asked to stop; then closes it
     * within the deadline. A signal that arrives while the role is still starting just exits.
     */
    public static int run(Env env, Function<Env, AutoCloseable> role) throws InterruptedException {
        Duration deadline = env.get(TIMEOUT);
        AtomicReference<@Nullable AutoCloseable> started = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            try {
                                AutoCloseable r = started.get();
                                if (r != null) {
                                    close(r, deadline);
                                }
                            } finally {
                                done.countDown();
                            }
                        },
                        "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.set(role.apply(env));
        done.await();
        return 0;
    }

    /**
     * Closes {@code role} on a thread of its own and waits for it at most {@code deadline}.
     *
     * @return true when it closed in time; false when the deadline passed (the close goes on, on a
     *     daemon thread, until the JVM exits)
     */
    public static boolean close(AutoCloseable role, Duration deadline) {
        long began = System.nanoTime();
        Thread closer =
                Thread.ofPlatform()
                        .name("vigil-close")
                        .daemon(true)
                        .start(
                                () -> {
                                    try {
                                        role.close();
                                    } catch (Exception e) {
                                        log.warn("stopping failed: {}", e.toString(), e);
                                    }
                                });
        try {
            if (closer.join(deadline)) {
                log.info("stopped in {} ms", (System.nanoTime() - began) / 1_000_000);
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.error(
                "still stopping after {} ({}): exiting now; work in flight is left uncommitted and"
                        + " will be redone. Raise {} if draining needs longer.",
                deadline,
                TIMEOUT_NAME,
                TIMEOUT_NAME);
        return false;
    }
}
