package dev.vigil;

import dev.vigil.api.Exports;
import dev.vigil.app.OfflineCheck;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.RuleSets;
import dev.vigil.checks.Severity;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of the commands that evaluate documents and print a report ({@code vigil check},
 * {@code vigil scan cloudflare}): the format, the severity that fails the run, and extra rules.
 */
final class ReportOptions {

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table, json, csv, sarif or ocsf (default ${DEFAULT-VALUE})")
    String format = "table";

    @Option(
            names = "--fail-on",
            description =
                    "exit 1 when a finding has this severity or worse: low, moderate, high, critical")
    @Nullable String failOn;

    @Option(
            names = "--rules-dir",
            description = "rule files that add to or override the shipped catalogue")
    @Nullable Path rulesDir;

    /**
     * The severity that fails the run, or null; checks the format on the way.
     *
     * @throws CommandLine.ParameterException naming the option and the accepted values
     */
    @Nullable Severity threshold(CommandLine cmd) {
        if (!format.equals("table") && !Exports.FORMATS.contains(format)) {
            throw new CommandLine.ParameterException(
                    cmd,
                    "--format: unknown format '"
                            + format
                            + "' (expected table, json, csv, sarif or ocsf)");
        }
        try {
            return failOn == null ? null : Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, String.valueOf(e.getMessage()));
        }
    }

    /** The shipped catalogue, or it with {@code --rules-dir}'s files. */
    RuleSet rules() throws RuleSetException {
        return rulesDir == null ? RuleSets.catalogue() : RuleSets.load(rulesDir);
    }

    /** The exit code for the worst finding: {@link OfflineCheck#EXIT_FINDINGS} at the threshold. */
    static int exitCode(@Nullable Severity threshold, @Nullable Severity worst) {
        return threshold != null && worst != null && worst.compareTo(threshold) >= 0
                ? OfflineCheck.EXIT_FINDINGS
                : 0;
    }
}
