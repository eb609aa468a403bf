package dev.vigil.app;

import dev.vigil.simulate.PlantedInsight;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Compares the open insights in the database with the ones a synthetic fleet planted: the demo's
 * and the end-to-end test's proof that the pipeline found exactly what it should.
 */
public record InsightCensus(int planted, int found, int missing, int unexpected) {

    public static InsightCensus take(DataSource ds, Set<PlantedInsight> planted) {
        Set<PlantedInsight> open = openInsights(ds);
        Set<PlantedInsight> missing = new HashSet<>(planted);
        missing.removeAll(open);
        Set<PlantedInsight> unexpected = new HashSet<>(open);
        unexpected.removeAll(planted);
        return new InsightCensus(planted.size(), open.size(), missing.size(), unexpected.size());
    }

    public static Set<PlantedInsight> openInsights(DataSource ds) {
        return new HashSet<>(
                Jdbi.create(ds)
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                                                        select account_id, zone_id, check_id, resource_key
                                                          from insights where status = 'open'
                                                        """)
                                                .map(
                                                        (rs, ctx) ->
                                                                new PlantedInsight(
                                                                        rs.getString("account_id"),
                                                                        rs.getString("zone_id"),
                                                                        rs.getString("check_id"),
                                                                        rs.getString(
                                                                                "resource_key")))
                                                .list()));
    }

    public boolean exact() {
        return missing == 0 && unexpected == 0;
    }

    @Override
    public String toString() {
        return "planted="
                + planted
                + " found="
                + found
                + " missing="
                + missing
                + " unexpected="
                + unexpected;
    }
}
