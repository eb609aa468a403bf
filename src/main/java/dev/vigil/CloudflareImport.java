package dev.vigil;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.app.Roles;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.sources.cloudflare.CloudflareDiscovery;
import dev.vigil.sources.cloudflare.CloudflareException;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vigil import --from cloudflare}: discovery into the inventory, with progress on stderr.
 */
final class CloudflareImport {

    /** Who retires vanished zones in the audit log. */
    static final String ACTOR = "cloudflare-discovery";

    private CloudflareImport() {}

    static int run(
            Env env, CloudflareOptions options, boolean dryRun, PrintStream out, PrintStream err) {
        CloudflareSettings settings;
        try {
            settings = options.settings(env);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("vigil import: " + e.getMessage());
            return 2;
        }
        CloudflareDiscovery.Fleet fleet;
        Map<String, Integer> assets = new LinkedHashMap<>();
        try (CloudflareDiscovery discovery = CloudflareDiscovery.create(settings)) {
            fleet =
                    discovery.discover(
                            null,
                            null,
                            (a, z) -> err.printf("import: listed %d accounts, %d zones%n", a, z));
            int n = 0;
            for (Target z : fleet.zones()) {
                assets.put(z.targetId(), discovery.assetCount(z.targetId()));
                if (++n % 10 == 0 || n == fleet.zones().size()) {
                    err.printf(
                            "import: counted the assets of %d/%d zones%n", n, fleet.zones().size());
                }
            }
        } catch (CloudflareException e) {
            err.println("vigil import: " + e.getMessage());
            return 2;
        }
        if (dryRun) {
            out.printf(
                    "dry run: %d accounts, %d zones seen; nothing written%n",
                    fleet.accounts().size(), fleet.zones().size());
            return 0;
        }
        try (HikariDataSource db = Roles.pool(env)) {
            Inventory inventory =
                    Inventory.create(
                            db, PlanIntervals.from(env), Clock.systemUTC(), new SecureRandom());
            FleetSync.Summary s =
                    FleetSync.create(db, inventory).apply(fleet.targets(), assets, ACTOR);
            out.printf(
                    "imported from cloudflare: %d accounts, %d zones; %s%n",
                    fleet.accounts().size(), fleet.zones().size(), s);
        }
        return 0;
    }
}
