package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers {@code --help} and {@code -h} with its usage, exit 0. */
class CommandHelpTest {

    /** The path of every command of the tree below {@code cl}, e.g. {@code [token, create]}. */
    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            // Aliases map to the same command: walk each command once.
                            if (name.equals(sub.getCommandName())) {
                                List<String> p = new ArrayList<>(path);
                                p.add(name);
                                walk(sub, p, out);
                            }
                        });
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithItsUsageAndExitZero() {
        List<List<String>> commands = new ArrayList<>();
        walk(DevMain.commandLine(), List.of(), commands);

        assertThat(commands)
                .contains(
                        List.of("demo"),
                        List.of("scheduler"),
                        List.of("dlq", "list"),
                        List.of("token", "create"));
        for (List<String> command : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = DevMain.commandLine();
                cl.setOut(new PrintWriter(out));
                cl.setErr(new PrintWriter(err));

                int exit = cl.execute(args.toArray(String[]::new));

                String what = "vigil " + String.join(" ", args);
                assertThat(exit).as(what + ": " + err).isZero();
                assertThat(out.toString())
                        .as(what)
                        .contains(
                                "Usage: vigil"
                                        + (command.isEmpty()
                                                ? ""
                                                : " " + String.join(" ", command)))
                        .contains("-h, --help");
                assertThat(err.toString()).as(what).isEmpty();
            }
        }
    }
}
