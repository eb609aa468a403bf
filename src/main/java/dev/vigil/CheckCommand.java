package dev.vigil;

import dev.vigil.app.OfflineCheck;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil check FILE...}: evaluate configuration documents offline, like a linter. */
@Command(
        name = "check",
        description = {
            "Evaluate account or zone documents offline with the whole catalogue.",
            "Exit codes: 0 no finding at or above --fail-on, 1 findings reach it, 2 bad input or rules."
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "JSON documents; - reads standard input")
    List<String> files = new ArrayList<>();

    @CommandLine.Mixin ReportOptions report = new ReportOptions();

    @Option(
            names = "--kind",
            description = "zone or account, when a document has neither or both sections")
    @Nullable String kind;

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        Severity threshold = report.threshold(new CommandLine(this));
        TargetKind forced;
        try {
            forced = kind == null ? null : TargetKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        RuleSet rules;
        try {
            rules = report.rules();
        } catch (RuleSetException e) {
            err.println("vigil check: rule set refused: " + e.getMessage());
            return OfflineCheck.EXIT_BAD_INPUT;
        }
        OfflineCheck check = new OfflineCheck(rules, forced);
        List<OfflineCheck.Report> reports = new ArrayList<>();
        boolean bad = false;
        for (String f : files) {
            try {
                reports.add(check.evaluate(f, System.in));
            } catch (OfflineCheck.BadInputException e) {
                err.println("vigil check: " + e.getMessage());
                bad = true;
            }
        }
        check.write(reports, report.format, out);
        if (bad) {
            return OfflineCheck.EXIT_BAD_INPUT;
        }
        return ReportOptions.exitCode(threshold, check.worst(reports));
    }
}
