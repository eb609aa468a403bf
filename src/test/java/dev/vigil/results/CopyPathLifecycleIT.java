package dev.vigil.results;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COPY path writes new and existing insights with separate statements; the unnest path with one
 * {@code INSERT … ON CONFLICT}. The same history of scans through each must leave the same
 * insights, outcomes and audit trail.
 */
class CopyPathLifecycleIT {

    static TestPostgres pg;
    static Jdbi jdbi;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    @Test
    void copyPathGivesTheSameLifecycleAsTheUnnestPath() {
        pg.reset();
        pg.zoneTarget("acc1", "zone-copy");
        pg.zoneTarget("acc1", "zone-unnest");
        ResultWriter copy = ResultWriter.create(pg.dataSource(), 0, 100_000);
        ResultWriter unnest = ResultWriter.create(pg.dataSource(), Integer.MAX_VALUE, 100_000);

        List<WriteOutcome> viaCopy = history(copy, "zone-copy");
        List<WriteOutcome> viaUnnest = history(unnest, "zone-unnest");

        assertThat(viaCopy)
                .allSatisfy(o -> assertThat(o.path()).isIn(WritePath.COPY, WritePath.NONE));
        assertThat(viaUnnest)
                .allSatisfy(o -> assertThat(o.path()).isIn(WritePath.UNNEST, WritePath.NONE));
        assertThat(counts(viaCopy)).isEqualTo(counts(viaUnnest));
        assertThat(counts(viaCopy))
                .containsExactly(
                        "true 3 opened 3 reopened 0 resolved 0",
                        "true 2 opened 1 reopened 0 resolved 2",
                        "true 2 opened 1 reopened 1 resolved 1",
                        "false 0 opened 0 reopened 0 resolved 0",
                        "true 1 opened 1 reopened 0 resolved 3",
                        "true 4 opened 0 reopened 3 resolved 0");
        // Both paths write only what changed: the insight c/r9, open and unchanged at 10:04, still
        // says 10:03 on either (the API shows the target's last scan as an open insight's last
        // sighting: InsightRows.LAST_SEEN).
        assertThat(insights("zone-copy")).isEqualTo(insights("zone-unnest")).hasSize(6);
        assertThat(insights("zone-copy"))
                .contains(
                        "c r9 high r9 c fails on r9 open f 2026-03-01 10:03:00+00 2026-03-01 10:03:00+00");
        assertThat(audit("zone-copy")).isEqualTo(audit("zone-unnest"));
        long staged =
                jdbi.withHandle(
                        h ->
                                h.select("select count(*) from insight_staging")
                                        .mapTo(Long.class)
                                        .one());
        assertThat(staged).isZero();
    }

    @Test
    void repeatedIdentitiesInAFirstScanEndTheStraightCopyAndTheLastOneWins() {
        pg.reset();
        pg.zoneTarget("acc1", "zone-copy");
        pg.zoneTarget("acc1", "zone-unnest");
        List<ResultFinding> findings =
                List.of(
                        finding("a", "r1"),
                        finding("a", "r2"),
                        finding("a", "r1", Severity.LOW),
                        finding("a", "r3"),
                        finding("a", "r3", Severity.CRITICAL),
                        finding("a", "r4"),
                        finding("a", "r3", Severity.MODERATE));
        ResultWriter copy = ResultWriter.create(pg.dataSource(), 0, 100_000);
        ResultWriter unnest = ResultWriter.create(pg.dataSource(), Integer.MAX_VALUE, 100_000);

        WriteOutcome viaCopy =
                copy.apply(zoneResult("acc1", "zone-copy", T0, List.of("a"), List.of(), findings));
        WriteOutcome viaUnnest =
                unnest.apply(
                        zoneResult("acc1", "zone-unnest", T0, List.of("a"), List.of(), findings));

        assertThat(counts(List.of(viaCopy)))
                .isEqualTo(counts(List.of(viaUnnest)))
                .containsExactly("true 4 opened 4 reopened 0 resolved 0");
        assertThat(insights("zone-copy")).isEqualTo(insights("zone-unnest")).hasSize(4);
        assertThat(insights("zone-copy").get(0)).contains(" r1 low ");
        assertThat(insights("zone-copy").get(2)).contains(" r3 moderate ");
        assertThat(audit("zone-copy")).isEqualTo(audit("zone-unnest")).hasSize(4);
    }

    /**
     * Issue 20, "write only what changed", on the COPY path too: a rescan that finds 3,000 findings
     * as they were leaves every insight row as it was (the same tuple, so no dead tuple and no
     * WAL), and one that changes one finding, drops another and adds a third writes exactly those
     * three rows, with the same outcome as the unnest path.
     */
    @Test
    void aSteadyRescanThroughCopyRewritesNoInsightAndAChangedOneOnlyWhatChanged() {
        pg.reset();
        pg.zoneTarget("acc1", "zone-copy");
        pg.zoneTarget("acc1", "zone-unnest");
        ResultWriter copy = ResultWriter.create(pg.dataSource(), 0, 100_000);
        ResultWriter unnest = ResultWriter.create(pg.dataSource(), Integer.MAX_VALUE, 100_000);
        List<ResultFinding> steady = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            steady.add(finding("a", "r" + i));
        }
        for (String zone : List.of("zone-copy", "zone-unnest")) {
            ResultWriter w = zone.equals("zone-copy") ? copy : unnest;
            w.apply(zoneResult("acc1", zone, T0, List.of("a"), List.of(), steady));
            // a second scan, so the first's straight copy into an empty target is behind us
            w.apply(zoneResult("acc1", zone, T0.plusSeconds(60), List.of("a"), List.of(), steady));
        }
        List<String> before = tupleVersions("zone-copy");

        WriteOutcome same =
                copy.apply(
                        zoneResult(
                                "acc1",
                                "zone-copy",
                                T0.plusSeconds(120),
                                List.of("a"),
                                List.of(),
                                steady));

        assertThat(same.path()).isEqualTo(WritePath.COPY);
        assertThat(counts(List.of(same)))
                .containsExactly("true 3000 opened 0 reopened 0 resolved 0");
        assertThat(tupleVersions("zone-copy")).as("no insight row rewritten").isEqualTo(before);

        List<ResultFinding> changed = new ArrayList<>(steady.subList(1, steady.size()));
        changed.set(0, finding("a", "r1", Severity.CRITICAL));
        changed.add(finding("a", "r-new"));
        List<WriteOutcome> outcomes = new ArrayList<>();
        for (String zone : List.of("zone-copy", "zone-unnest")) {
            ResultWriter w = zone.equals("zone-copy") ? copy : unnest;
            outcomes.add(
                    w.apply(
                            zoneResult(
                                    "acc1",
                                    zone,
                                    T0.plusSeconds(180),
                                    List.of("a"),
                                    List.of(),
                                    changed)));
        }
        assertThat(counts(outcomes))
                .containsExactly(
                        "true 3000 opened 1 reopened 0 resolved 1",
                        "true 3000 opened 1 reopened 0 resolved 1");
        List<String> after = tupleVersions("zone-copy");
        List<String> rewritten = new ArrayList<>(after);
        rewritten.removeAll(before);
        assertThat(rewritten)
                .as("rows written by the changed scan: r0 resolved, r1 changed, r-new opened")
                .extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactlyInAnyOrder("r0", "r1", "r-new");
        assertThat(insights("zone-copy")).isEqualTo(insights("zone-unnest"));
        assertThat(audit("zone-copy")).isEqualTo(audit("zone-unnest"));
    }

    /** Each insight of the zone as its resource key and its row version's ctid and xmin. */
    private static List<String> tupleVersions(String zone) {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select concat_ws(' ', resource_key, ctid, xmin) from"
                                                + " insights where zone_id = ? order by"
                                                + " resource_key",
                                        zone)
                                .mapTo(String.class)
                                .list());
    }

    /**
     * A fresh target; a rescan that changes, resolves and adds; one with an errored check that
     * reopens a dismissed insight; its replay; one naming only new identities; one reopening many.
     */
    private static List<WriteOutcome> history(ResultWriter w, String zone) {
        List<String> ab = List.of("a", "b");
        List<WriteOutcome> out = new ArrayList<>();
        out.add(
                scan(
                        w,
                        zone,
                        0,
                        ab,
                        List.of(),
                        finding("a", "r1"),
                        finding("a", "r2"),
                        finding("b", "r3")));
        pg.execute(
                "update insights set dismissed = true where zone_id = '"
                        + zone
                        + "' and resource_key = 'r2'");
        out.add(
                scan(
                        w,
                        zone,
                        1,
                        ab,
                        List.of(),
                        finding("a", "r1", Severity.CRITICAL),
                        finding("b", "r4")));
        ScanResult third =
                zoneResult(
                        "acc1",
                        zone,
                        T0.plusSeconds(120),
                        List.of("a"),
                        List.of("b"),
                        List.of(finding("a", "r2", Severity.LOW), finding("a", "r5")));
        out.add(w.apply(third));
        out.add(w.apply(third));
        out.add(scan(w, zone, 3, ab, List.of(), finding("c", "r9")));
        out.add(
                scan(
                        w,
                        zone,
                        4,
                        List.of("a", "b", "c"),
                        List.of(),
                        finding("a", "r1"),
                        finding("a", "r2"),
                        finding("b", "r3"),
                        finding("c", "r9")));
        return out;
    }

    private static WriteOutcome scan(
            ResultWriter w,
            String zone,
            int minute,
            List<String> evaluated,
            List<String> errored,
            ResultFinding... fs) {
        return w.apply(
                zoneResult(
                        "acc1",
                        zone,
                        T0.plusSeconds(60L * minute),
                        evaluated,
                        errored,
                        List.of(fs)));
    }

    private static List<String> counts(List<WriteOutcome> outcomes) {
        return outcomes.stream()
                .map(
                        o ->
                                o.applied()
                                        + " "
                                        + o.findings()
                                        + " opened "
                                        + o.opened()
                                        + " reopened "
                                        + o.reopened()
                                        + " resolved "
                                        + o.resolved())
                .toList();
    }

    private static List<String> insights(String zone) {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        """
                select concat_ws(' ', check_id, resource_key, severity, subject, message, status,
                                 dismissed, first_seen_at, last_seen_at, resolved_at)
                from insights where zone_id = ? order by check_id, resource_key
                """,
                                        zone)
                                .mapTo(String.class)
                                .list());
    }

    private static List<String> audit(String zone) {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        """
                select concat_ws(' ', i.check_id, i.resource_key, a.action, a.from_status,
                                 a.to_status, a.changed_by, a.detail is not null)
                from audit_log a join insights i using (account_id, insight_id)
                where a.zone_id = ? order by i.check_id, i.resource_key, a.audit_id
                """,
                                        zone)
                                .mapTo(String.class)
                                .list());
    }
}
