package dev.vigil.bench.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The calling thread's CPU time, for measurements that must not count the machine's other work. */
final class ThreadCpu {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /**
     * Nanoseconds of CPU the calling thread has used.
     *
     * @param what what is being timed, for the error
     * @throws IllegalStateException when the calling thread's CPU time cannot be read (a virtual
     *     thread, or a JVM without it)
     */
    static long nanos(String what) {
        long n = MX.isCurrentThreadCpuTimeSupported() ? MX.getCurrentThreadCpuTime() : -1;
        if (n < 0) {
            throw new IllegalStateException(
                    "this thread's CPU time is not available ("
                            + Thread.currentThread()
                            + "); time "
                            + what
                            + " from a platform thread");
        }
        return n;
    }
}
