package dev.vigil.embedded;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waiting for and killing the child JVMs the harness starts: the role processes ({@code
 * app.RoleProcess}) and the brokers of {@link EmbeddedKafkaCluster}. Both are shut down on a thread
 * a terminal's Ctrl-C has just interrupted, so the waits here complete regardless and restore the
 * interrupt on return; an interrupted wait that gave up at once would leave a child running after
 * its owner thinks it gone. It sits here, beside {@link OwnSession}, because {@code embedded}
 * depends on no other feature and both callers may use it.
 */
public final class ChildProcesses {

    /**
     * How long a SIGKILLed process is waited for: the kernel ends it at once, so this bounds only a
     * process stuck in uninterruptible I/O.
     */
    static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private ChildProcesses() {}

    /**
     * Waits up to {@code timeout} for {@code p} to exit, even when the calling thread is
     * interrupted (before or during the wait); the interrupt status is restored on return.
     *
     * @return whether {@code p} exited within {@code timeout}
     */
    public static boolean awaitExit(Process p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor(
                            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * SIGKILL to {@code p} and every process it started, then waits (as {@link #awaitExit}, up to
     * {@link #KILL_WAIT}) until {@code p} is gone: no shutdown hook runs, its sockets close as in a
     * crash. The descendants are listed before {@code p} dies, since they are reparented after.
     *
     * @return whether {@code p} exited within {@link #KILL_WAIT}
     */
    public static boolean kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(p, KILL_WAIT);
    }
}
