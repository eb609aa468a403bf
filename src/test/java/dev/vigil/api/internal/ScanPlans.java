package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.TestPostgres;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** What the plan tests of reads over {@code scans} share: the fixture, the plan, its check. */
final class ScanPlans {

    private ScanPlans() {}

    /**
     * Inserts 50,000 applied scans, one a second up to now, in applied_at order as the writers add
     * them, over 500 zones ({@code zone-<g % 500>} of account {@code acc}); each column given is a
     * SQL expression of the scan's number {@code g}.
     */
    static void fiftyThousandScans(
            TestPostgres pg, String scanId, String ruleSetVersion, String opened) {
        pg.execute(
                """
                insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                                   applied_at, rule_set_version, checks_evaluated,
                                   checks_errored, findings, opened, resolved, write_path)
                select %s, 'zone-' || (g %% 500), 'acc', 'zone-' || (g %% 500), t, t, %s,
                       50, 0, 1, %s, 0, 'rows'
                from generate_series(1, 50000) g,
                     lateral (select now() - make_interval(secs => 50000 - g) as t) at
                """
                        .formatted(scanId, ruleSetVersion, opened));
    }

    /** PostgreSQL's plan of {@code sql} with {@code binds}, one line per node. */
    static String explain(Jdbi jdbi, String sql, Map<String, ?> binds) {
        return jdbi.withHandle(
                h ->
                        String.join(
                                "\n",
                                h.createQuery("explain " + sql)
                                        .bindMap(binds)
                                        .mapTo(String.class)
                                        .list()));
    }

    /**
     * The plan scans no partition of {@code scans} whole but those without rows (the next months',
     * the default), which cost nothing.
     */
    static void assertNoPartitionScannedWhole(String plan) {
        assertThat(plan.lines().filter(l -> l.contains("Seq Scan on scans_")))
                .as("partitions scanned whole:%n%s", plan)
                .allMatch(l -> l.contains("(cost=0.00..0.00 "));
    }
}
