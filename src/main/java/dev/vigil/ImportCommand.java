package dev.vigil;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.app.Roles;
import dev.vigil.config.Env;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.TargetImport;
import dev.vigil.inventory.TargetImport.Format;
import dev.vigil.inventory.TargetImport.Rejection;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil import FILE}: loads accounts and zones from JSON Lines or CSV into the inventory of
 * VIGIL_DATABASE_URL, with a progress display on stderr and a summary on stdout. Exits 0 when every
 * line was imported, 1 when some were rejected (the others are imported all the same).
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import accounts and zones from a JSON Lines or CSV file (VIGIL_DATABASE_URL);"
                    + " fields: kind, account_id, zone_id, name, plan.",
            "With --from cloudflare: every account and zone the token (CLOUDFLARE_API_TOKEN) sees,"
                    + " with plans and asset counts; zones no longer listed stop being scanned and"
                    + " their insights resolve (audited)."
        })
final class ImportCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "a .jsonl or .csv file (not with --from)")
    @Nullable Path file;

    @Option(
            names = "--from",
            description = "cloudflare: discover from the Cloudflare API instead of a file")
    @Nullable String from;

    @CommandLine.Mixin CloudflareOptions cloudflare = new CloudflareOptions();

    @Option(names = "--format", description = "jsonl or csv (default: from the file's extension)")
    @Nullable String format;

    @Option(names = "--dry-run", description = "check and count, write nothing")
    boolean dryRun;

    @Option(
            names = "--batch-size",
            defaultValue = "1000",
            description = "targets per transaction (default ${DEFAULT-VALUE})")
    int batchSize = 1000;

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
        if (from != null) {
            if (!"cloudflare".equalsIgnoreCase(from)) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "--from: unknown source '" + from + "' (expected cloudflare)");
            }
            if (file != null) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "give either FILE or --from cloudflare, not both");
            }
            return CloudflareImport.run(env, cloudflare, dryRun, out, err);
        }
        if (file == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "missing FILE (or --from cloudflare)");
        }
        Path file = this.file;
        Format f;
        try {
            f = format == null ? Format.of(file) : Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (!Files.isReadable(file)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "cannot read " + file + ": no such readable file");
        }
        boolean bar =
                switch (progress.toLowerCase(Locale.ROOT)) {
                    case "auto" -> terminal;
                    case "bar" -> true;
                    case "lines", "none" -> false;
                    default ->
                            throw new CommandLine.ParameterException(
                                    new CommandLine(this),
                                    "--progress: expected bar, lines, none or auto, got '"
                                            + progress
                                            + "'");
                };
        ImportProgress display = new ImportProgress(err, bar, !"none".equalsIgnoreCase(progress));
        TargetImport.Summary summary;
        try (HikariDataSource db = Roles.pool(env)) {
            Inventory inventory =
                    Inventory.create(
                            db, PlanIntervals.from(env), Clock.systemUTC(), new SecureRandom());
            summary =
                    TargetImport.into(inventory, batchSize, dryRun)
                            .run(
                                    file,
                                    f,
                                    new TargetImport.Listener() {
                                        @Override
                                        public void advance(long lines, long bytes, long total) {
                                            display.advance(lines, bytes, total);
                                        }

                                        @Override
                                        public void rejected(Rejection r) {
                                            display.message(r.toString());
                                        }
                                    });
        } catch (IllegalArgumentException e) {
            display.finish();
            err.println("vigil import: " + e.getMessage());
            return 2;
        }
        display.finish();
        out.println(summary);
        return summary.rejected() == 0 ? 0 : 1;
    }
}
