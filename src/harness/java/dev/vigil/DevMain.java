package dev.vigil;

import picocli.CommandLine;

/**
 * The command line of a clone ({@code ./vigil}): every command of {@link Main} plus the three that
 * bring their own infrastructure — {@code demo}, {@code bench} and {@code chaos}, with embedded
 * Kafka and PostgreSQL, a simulated fleet and charts. They and their libraries live in the harness
 * module, so the production jar and the container image, which start {@link Main}, carry none of
 * them.
 */
public final class DevMain {
    private DevMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The clone's command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return Main.commandLine(new DemoCommand(), new BenchCommand(), new ChaosCommand());
    }
}
