package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The rollout guard's read of a cohort's scans visits only the block ranges applied since the stage
 * began (V22's BRIN index over {@code applied_at}), not the month's partition: read from
 * PostgreSQL's plan over 14 hours of scans, and the counts it answers, which leave superseded scans
 * out.
 */
class CohortScansPlanIT {

    @Test
    void theGuardReadsOnlyTheScansSinceTheStageBegan() {
        try (TestPostgres pg = TestPostgres.start()) {
            Jdbi jdbi = Jdbi.create(pg.dataSource());
            // every tenth scan by the candidate version, which opened one insight each
            ScanPlans.fiftyThousandScans(
                    pg,
                    "gen_random_uuid()",
                    "case when g % 10 = 0 then 'candidate' else 'active' end",
                    "case when g % 10 = 0 then 1 else 0 end");
            pg.execute(
                    // and 20 superseded scans by the candidate on targets of their own, within
                    // the stage: their results came after newer ones and touched nothing
                    """
                    insert into scans (scan_id, target_id, account_id, zone_id, scanned_at,
                                       applied_at, rule_set_version, checks_evaluated,
                                       checks_errored, findings, opened, resolved, write_path)
                    select gen_random_uuid(), 'overtaken-' || g, 'acc', 'overtaken-' || g,
                           now() - interval '60 s', now() - interval '10 s', 'candidate',
                           50, 0, 0, 0, 0, 'superseded'
                    from generate_series(1, 20) g
                    """,
                    "analyze scans");
            // the stage began just under 600 s before the newest scan: the last 600 scans since
            Instant since =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "select max(applied_at) - interval '599.5"
                                                            + " seconds' from scans")
                                            .mapTo(Instant.class)
                                            .one());

            String plan =
                    ScanPlans.explain(
                            jdbi,
                            RolloutReports.COHORT_SCANS,
                            Map.of("v", "candidate", "since", since));
            long[] counts =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(RolloutReports.COHORT_SCANS)
                                            .bind("v", "candidate")
                                            .bind("since", since)
                                            .map(
                                                    (rs, c) ->
                                                            new long[] {
                                                                rs.getLong("targets"),
                                                                rs.getLong("opened")
                                                            })
                                            .one());

            assertThat(plan).containsPattern("Bitmap Index Scan on scans_[0-9]+_applied_at_idx");
            ScanPlans.assertNoPartitionScannedWhole(plan);
            // the last 600 scans hold 60 by the candidate (one in ten), each opening one insight,
            // over 50 distinct zones (g % 500 of 60 consecutive multiples of ten); the superseded
            // scans' targets are not counted
            assertThat(counts[1]).isEqualTo(60);
            assertThat(counts[0]).isEqualTo(50);
        }
    }
}
