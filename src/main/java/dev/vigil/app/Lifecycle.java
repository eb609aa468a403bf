package dev.vigil.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the long-lived components of a process and closes them in reverse order of creation, so that
 * nothing is closed while something started after it still uses it. A failure to close one
 * component is logged and the others are still closed.
 *
 * <p>Not thread-safe: built and closed by the main thread.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private final Deque<Named> stack = new ArrayDeque<>();

    private record Named(String name, AutoCloseable resource) {}

    /** Registers {@code resource} to be closed before everything registered earlier. */
    public <T extends AutoCloseable> T own(String name, T resource) {
        stack.push(new Named(name, resource));
        return resource;
    }

    @Override
    public void close() {
        while (!stack.isEmpty()) {
            Named n = stack.pop();
            try {
                n.resource().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("closing {} failed: {}", n.name(), e.toString());
            }
        }
    }
}
