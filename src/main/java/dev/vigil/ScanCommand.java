package dev.vigil;

import dev.vigil.app.CloudflareScan;
import dev.vigil.app.OfflineCheck;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.Severity;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.inventory.Target;
import dev.vigil.sources.cloudflare.CloudflareConfigSource;
import dev.vigil.sources.cloudflare.CloudflareDiscovery;
import dev.vigil.sources.cloudflare.CloudflareException;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil scan cloudflare}: scan live accounts and zones now, without Kafka or PostgreSQL. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = "Scan live configuration now, without Kafka or PostgreSQL.",
        subcommands = {ScanCommand.Cloudflare.class})
final class ScanCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(
            name = "cloudflare",
            mixinStandardHelpOptions = true,
            description = {
                "Scan every account and zone a Cloudflare API token sees (CLOUDFLARE_API_TOKEN)"
                        + " with the whole catalogue.",
                "Exit codes: 0 no finding at or above --fail-on, 1 findings reach it,"
                        + " 2 bad input, rules, or a target that could not be read."
            })
    static final class Cloudflare implements Callable<Integer> {

        @Option(names = "--account", description = "only this account id (and its zones)")
        @Nullable String account;

        @Option(names = "--zone", description = "only this zone name (and its account)")
        @Nullable String zone;

        @CommandLine.Mixin CloudflareOptions cloudflare = new CloudflareOptions();

        @CommandLine.Mixin ReportOptions report = new ReportOptions();

        @Option(
                names = "--progress",
                defaultValue = "auto",
                description = "bar, lines, none or auto: a bar on a terminal, lines otherwise")
        String progress = "auto";

        @Override
        public Integer call() {
            return run(Env.system(), System.out, System.err, Env.onTerminal());
        }

        int run(Env env, PrintStream out, PrintStream err, boolean terminal) {
            CommandLine cmd = new CommandLine(this);
            Severity threshold = report.threshold(cmd);
            ScanProgress display = ScanProgress.of(progress, terminal, err, cmd);
            RuleSet rules;
            CloudflareSettings settings;
            try {
                rules = report.rules();
                settings = cloudflare.settings(env);
            } catch (RuleSetException e) {
                err.println("vigil scan: rule set refused: " + e.getMessage());
                return OfflineCheck.EXIT_BAD_INPUT;
            } catch (ConfigException | IllegalArgumentException e) {
                err.println("vigil scan: " + e.getMessage());
                return OfflineCheck.EXIT_BAD_INPUT;
            }
            OfflineCheck check = new OfflineCheck(rules, null);
            CloudflareScan.Outcome outcome;
            try (CloudflareConfigSource source =
                            CloudflareConfigSource.create(settings, Clock.systemUTC());
                    CloudflareDiscovery discovery = CloudflareDiscovery.create(settings)) {
                outcome =
                        new CloudflareScan(discovery, source, check)
                                .run(
                                        account,
                                        zone == null ? null : zone.toLowerCase(Locale.ROOT),
                                        display);
            } catch (CloudflareException | IllegalArgumentException | IllegalStateException e) {
                display.finish();
                err.println("vigil scan: " + e.getMessage());
                return OfflineCheck.EXIT_BAD_INPUT;
            }
            display.finish();
            for (CloudflareScan.Failure f : outcome.failures()) {
                Target t = f.target();
                err.println(
                        "vigil scan: "
                                + t.kind().wire()
                                + " "
                                + t.name()
                                + " ("
                                + t.targetId()
                                + ") not scanned: "
                                + f.reason());
            }
            check.write(outcome.reports(), report.format, out);
            if (!outcome.failures().isEmpty()) {
                return OfflineCheck.EXIT_BAD_INPUT;
            }
            return ReportOptions.exitCode(threshold, check.worst(outcome.reports()));
        }
    }
}
