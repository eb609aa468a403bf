package dev.vigil;

import dev.vigil.app.DlqCommands;
import dev.vigil.app.Roles;
import dev.vigil.app.Shutdown;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.events.Lane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Vigil's command line. */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        version = "vigil 0.1.0",
        description = "Continuous security-posture scanning for fleets of accounts and zones.",
        subcommands = {
            Main.MigrateCommand.class,
            Main.SchedulerCommand.class,
            Main.WorkerCommand.class,
            Main.ApiCommand.class,
            Main.DlqCommand.class,
            CheckCommand.class,
            ScanCommand.class,
            TokenCommand.class,
            RulesCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Vigil's error handling, shared by main and the tests. */
    public static CommandLine commandLine() {
        return commandLine(new Object[0]);
    }

    /**
     * The command line with more subcommands: a clone's launcher adds {@code demo}, {@code bench}
     * and {@code chaos} (they bring their own infrastructure, so they live outside the production
     * jar; see {@code DevMain}).
     */
    public static CommandLine commandLine(Object... extraCommands) {
        CommandLine cl = new CommandLine(new Main());
        for (Object command : extraCommands) {
            cl.addSubcommand(command);
        }
        cl.registerConverter(Duration.class, Setting::parseDuration);
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    if (e instanceof ConfigException) {
                        cmd.getErr().println("vigil: configuration error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
        addHelpOptions(cl);
        return cl;
    }

    /**
     * Gives every subcommand, at any depth, {@code -h}/{@code --help} (usage, exit 0) unless it has
     * them: picocli adds them only to commands that ask, and {@code vigil demo --help} was refused
     * as an unknown option. Done here, over the built tree, so a command added later has them too.
     */
    private static void addHelpOptions(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(
                    CommandLine.Model.OptionSpec.builder("-h", "--help")
                            .usageHelp(true)
                            .description("Show this help message and exit.")
                            .build());
        }
        cl.getSubcommands().values().forEach(Main::addHelpOptions);
    }

    @Command(name = "migrate", description = "Apply the database schema to VIGIL_DATABASE_URL.")
    static final class MigrateCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            Roles.migrate(Env.system());
            return 0;
        }
    }

    @Command(
            name = "scheduler",
            description = "Run the scheduler role (one active, others standby).")
    static final class SchedulerCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return Shutdown.run(Env.system(), Roles::scheduler);
        }
    }

    @Command(name = "worker", description = "Run a checker worker of one lane.")
    static final class WorkerCommand implements Callable<Integer> {
        @Option(
                names = "--lane",
                defaultValue = "fast",
                description = "fast or slow (default ${DEFAULT-VALUE})")
        String lane = "fast";

        @Override
        public Integer call() throws Exception {
            Lane l;
            try {
                l = Lane.parse(lane);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--lane: " + e.getMessage());
            }
            return Shutdown.run(Env.system(), env -> Roles.worker(env, l));
        }
    }

    @Command(name = "api", description = "Run the API role (results ingestion and the public API).")
    static final class ApiCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return Shutdown.run(Env.system(), Roles::api);
        }
    }

    @Command(
            name = "dlq",
            description =
                    "Look at the dead-letter topic and replay after a fix (VIGIL_KAFKA_BOOTSTRAP).",
            subcommands = {DlqListCommand.class, DlqReplayCommand.class})
    static final class DlqCommand {}

    @Command(name = "list", description = "List dead letters with their reason.")
    static final class DlqListCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            DlqCommands.list(Env.system(), System.out);
            return 0;
        }
    }

    @Command(
            name = "replay",
            description = "Re-publish dead letters to their original topic, each once.")
    static final class DlqReplayCommand implements Callable<Integer> {
        @Option(
                names = "--filter",
                description = "key=K, error=SUBSTRING or partition=N; repeatable, all must match")
        List<String> filters = new ArrayList<>();

        @Override
        public Integer call() {
            try {
                DlqCommands.replay(Env.system(), filters, System.out);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            return 0;
        }
    }
}
