package dev.vigil.results;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ways {@link ResultWriter} writes findings, and the naive writer it is measured against: each
 * way leaves the same rows, whatever the size of the result, its contexts or its duplicates. The
 * lifecycle of insights under one way is {@link ResultWriterIT}'s.
 */
class WritePathIT {

    static TestPostgres pg;
    static Jdbi jdbi;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    ResultWriter writer;

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    @BeforeEach
    void resetTables() {
        pg.reset();
        pg.zoneTarget("acc1", "zone1");
        writer =
                ResultWriter.create(
                        pg.dataSource(), ResultWriter.DEFAULT_UNNEST_THRESHOLD, 100_000);
    }

    private static Map<String, Object> insight(String checkId, String key) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select status, dismissed, first_seen_at, last_seen_at,"
                                                + " resolved_at, severity from insights where"
                                                + " check_id = :c and resource_key = :k")
                                .bind("c", checkId)
                                .bind("k", key)
                                .mapToMap()
                                .one());
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void largeResultGoesThroughCopyAndGivesTheSameRowsAsUnnest() {
        pg.zoneTarget("acc1", "zone2");
        List<ResultFinding> findings = many(10_000, 7);
        ResultWriter unnestOnly = ResultWriter.create(pg.dataSource(), 20_000, 100_000);

        WriteOutcome viaCopy =
                writer.apply(
                        zoneResult("acc1", "zone1", T0, List.of("check_1"), List.of(), findings));
        WriteOutcome viaUnnest =
                unnestOnly.apply(
                        zoneResult("acc1", "zone2", T0, List.of("check_1"), List.of(), findings));

        assertThat(viaCopy.path()).isEqualTo(WritePath.COPY);
        assertThat(viaUnnest.path()).isEqualTo(WritePath.UNNEST);
        assertThat(viaCopy.opened()).isEqualTo(10_000).isEqualTo(viaUnnest.opened());
        String rows =
                "select check_id, resource_key, severity, issue_type, subject, message, status"
                        + " from insights where zone_id = '%s'";
        assertThat(
                        count(
                                "select count(*) from ((%s) except (%s)) d"
                                        .formatted(
                                                rows.formatted("zone1"), rows.formatted("zone2"))))
                .isZero();
        assertThat(
                        count(
                                "select count(*) from insights where position(chr(9) || 'tab' ||"
                                        + " chr(92) || 'slash' in resource_key) > 0"
                                        + " and message like 'line one' || chr(10) || '%'"))
                .isEqualTo(20_000);
        assertThat(count("select count(*) from insight_staging")).isZero();
        System.out.printf(
                "10,000 findings: copy %s, unnest %s%n", viaCopy.elapsed(), viaUnnest.elapsed());
    }

    @Test
    void fewFindingsWithContextsPastTheBudgetTakeTheCopyPathAndKeepTheirValues() {
        List<String> big =
                java.util.stream.IntStream.range(0, ResultWriter.UNNEST_CONTEXT_BUDGET / 2 + 1)
                        .mapToObj(i -> "value-" + i)
                        .toList();
        List<ResultFinding> findings = new java.util.ArrayList<>();
        for (String key : List.of("r1", "r2")) {
            ResultFinding f = finding("tls.min_version", key);
            findings.add(
                    new ResultFinding(
                            f.checkId(),
                            f.resourceKey(),
                            f.severity(),
                            f.issueType(),
                            f.subject(),
                            f.message(),
                            big));
        }

        WriteOutcome out =
                writer.apply(
                        zoneResult(
                                "acc1",
                                "zone1",
                                T0,
                                List.of("tls.min_version"),
                                List.of(),
                                findings));

        assertThat(out.path()).isEqualTo(WritePath.COPY);
        List<Integer> lengths =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select jsonb_array_length(context) from insights"
                                                        + " order by resource_key")
                                        .mapTo(Integer.class)
                                        .list());
        assertThat(lengths).containsExactly(big.size(), big.size());
    }

    @Test
    void duplicateFindingsInOneResultMakeOneInsightOnBothPaths() {
        ResultWriter copyAlways = ResultWriter.create(pg.dataSource(), 0, 100_000);
        pg.accountTarget("acc2");

        WriteOutcome out =
                writer.apply(
                        accountResult(
                                "acc2",
                                T0,
                                List.of("a"),
                                List.of(finding("a", "member/x"), finding("a", "member/x"))));
        WriteOutcome copied =
                copyAlways.apply(
                        accountResult(
                                "acc2",
                                T0.plusSeconds(60),
                                List.of("a"),
                                List.of(
                                        finding("a", "member/x"),
                                        finding("a", "member/x", Severity.LOW))));

        assertThat(out.findings()).isEqualTo(1);
        assertThat(copied.path()).isEqualTo(WritePath.COPY);
        assertThat(copied.findings()).isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from insights where account_id = 'acc2' and zone_id is null"))
                .isEqualTo(1);
        assertThat(insight("a", "member/x")).containsEntry("severity", "low");
    }

    @Test
    void naiveWriterGivesTheSameRowsAsTheHybridWriter() {
        pg.zoneTarget("acc1", "zone2");
        List<ResultFinding> findings = many(500, 5);
        WriteOutcome hybrid =
                writer.apply(
                        zoneResult("acc1", "zone1", T0, List.of("check_1"), List.of(), findings));
        WriteOutcome naive =
                NaiveResultWriter.create(pg.dataSource())
                        .apply(
                                zoneResult(
                                        "acc1",
                                        "zone2",
                                        T0,
                                        List.of("check_1"),
                                        List.of(),
                                        findings));

        System.out.printf("500 findings: naive %s, hybrid %s%n", naive.elapsed(), hybrid.elapsed());
        assertThat(naive.path()).isEqualTo(WritePath.NAIVE);
        assertThat(naive.opened()).isEqualTo(500);
        assertThat(count("select count(*) from audit_log where zone_id = 'zone2'")).isEqualTo(500);
        String rows =
                "select check_id, resource_key, severity, message, status from insights where zone_id = '%s'";
        assertThat(
                        count(
                                "select count(*) from ((%s) except (%s)) d"
                                        .formatted(
                                                rows.formatted("zone2"), rows.formatted("zone1"))))
                .isZero();
    }
}
