package dev.vigil.app;

import dev.vigil.config.Env;

/**
 * A role in a child JVM for the shutdown tests: {@code ChildRoleMain <closeMillis>} runs a role
 * whose close takes that long, under {@link Shutdown#run} with the child's environment (so {@code
 * VIGIL_SHUTDOWN_TIMEOUT} applies); prints {@code STARTED} once running (the hook is installed) and
 * {@code CLOSED} when the close finished.
 */
public final class ChildRoleMain {

    public static void main(String[] args) throws Exception {
        long closeMillis = Long.parseLong(args[0]);
        Shutdown.run(
                Env.system(),
                env -> {
                    System.out.println("STARTED");
                    System.out.flush();
                    return () -> {
                        Thread.sleep(closeMillis);
                        System.out.println("CLOSED");
                        System.out.flush();
                    };
                });
    }
}
