package dev.vigil.results;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.checks.Severity;
import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one result does to a target's insights through {@link ResultWriter}: opened, resolved,
 * reopened, kept dismissed, audited; stale, replayed and refused results write nothing. How the
 * findings are written (unnest, COPY, per row) is {@link WritePathIT}'s.
 */
class ResultWriterIT {

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

    private WriteOutcome scan(
            Instant at, List<String> evaluated, List<String> errored, ResultFinding... fs) {
        return writer.apply(zoneResult("acc1", "zone1", at, evaluated, errored, List.of(fs)));
    }

    @Test
    void measuredScanDurationsAreSmoothedPerTargetForTheLaneClassifier() {
        writer.apply(
                zoneResult("acc1", "zone1", T0, List.of("a"), List.of(), List.of())
                        .withDurationMs(1_000));
        assertThat(scanDuration()).isEqualTo(1_000.0);

        writer.apply(
                zoneResult("acc1", "zone1", T0.plusSeconds(60), List.of("a"), List.of(), List.of())
                        .withDurationMs(3_000));
        assertThat(scanDuration()).isCloseTo(1_600.0, org.assertj.core.data.Offset.offset(1e-9));

        // a result without a measurement (a config-change scan) keeps the figure
        writer.apply(
                zoneResult(
                        "acc1", "zone1", T0.plusSeconds(120), List.of("a"), List.of(), List.of()));
        assertThat(scanDuration()).isCloseTo(1_600.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static double scanDuration() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select scan_duration_ms from targets where target_id = 'zone1'")
                                .mapTo(Double.class)
                                .one());
    }

    @Test
    void newFindingsOpenInsights() {
        WriteOutcome out =
                scan(T0, List.of("a", "b"), List.of(), finding("a", "r1"), finding("b", "r2"));

        assertThat(out.applied()).isTrue();
        assertThat(out.path()).isEqualTo(WritePath.UNNEST);
        assertThat(out.opened()).isEqualTo(2);
        assertThat(insight("a", "r1"))
                .containsEntry("status", "open")
                .containsEntry("dismissed", false);
        assertThat(
                        count(
                                "select count(*) from scans where opened = 2 and findings = 2 and write_path = 'unnest'"))
                .isEqualTo(1);
    }

    @Test
    void absentFindingsOfEvaluatedChecksAreResolved() {
        scan(T0, List.of("a"), List.of(), finding("a", "r1"), finding("a", "r2"));
        WriteOutcome out = scan(T0.plusSeconds(60), List.of("a"), List.of(), finding("a", "r1"));

        assertThat(out.resolved()).isEqualTo(1);
        assertThat(insight("a", "r2")).containsEntry("status", "resolved");
        assertThat(insight("a", "r2").get("resolved_at").toString()).contains("2026-03-01");
        assertThat(insight("a", "r1")).containsEntry("status", "open");
    }

    @Test
    void erroredChecksLeaveTheirInsightsUntouched() {
        scan(T0, List.of("a", "b"), List.of(), finding("a", "r1"), finding("b", "r2"));
        WriteOutcome out = scan(T0.plusSeconds(60), List.of("a"), List.of("b"));

        assertThat(out.resolved()).isEqualTo(1);
        assertThat(insight("a", "r1")).containsEntry("status", "resolved");
        assertThat(insight("b", "r2")).containsEntry("status", "open");
    }

    @Test
    void replayedScanChangesNothing() {
        ScanResult first =
                zoneResult(
                        "acc1", "zone1", T0, List.of("a"), List.of(), List.of(finding("a", "r1")));
        writer.apply(first);
        scan(T0.plusSeconds(60), List.of("a"), List.of());

        WriteOutcome replay = writer.apply(first);

        assertThat(replay.applied()).isFalse();
        // overtaken by the second scan, but already recorded when it was applied: no second row
        assertThat(replay.status()).isEqualTo("ignored (superseded)");
        assertThat(insight("a", "r1")).containsEntry("status", "resolved");
        assertThat(count("select count(*) from scans")).isEqualTo(2);
    }

    @Test
    void sameScanSentTwiceIsAppliedOnce() {
        ScanResult result =
                zoneResult(
                        "acc1", "zone1", T0, List.of("a"), List.of(), List.of(finding("a", "r1")));
        writer.apply(result);

        WriteOutcome again = writer.apply(result);

        assertThat(again.applied()).isFalse();
        assertThat(again.status()).isEqualTo("ignored (replayed)");
        assertThat(again.path()).isEqualTo(WritePath.NONE);
        assertThat(count("select count(*) from audit_log")).isEqualTo(1);
        assertThat(count("select count(*) from scans")).isEqualTo(1);
    }

    @Test
    void olderScanIsIgnored() {
        scan(T0, List.of("a"), List.of(), finding("a", "r1"));

        ScanResult overtaken =
                zoneResult(
                        "acc1", "zone1", T0.minusSeconds(60), List.of("a"), List.of(), List.of());

        WriteOutcome older = writer.apply(overtaken);
        WriteOutcome redelivered = writer.apply(overtaken);

        assertThat(older.applied()).isFalse();
        assertThat(redelivered.path()).isEqualTo(WritePath.SUPERSEDED);
        assertThat(older.path()).isEqualTo(WritePath.SUPERSEDED);
        assertThat(insight("a", "r1")).containsEntry("status", "open");
        // the overtaken scan has its outcome recorded, and only once however often it comes
        String recorded =
                "select count(*) from scans where write_path = 'superseded' and findings = 0"
                        + " and opened = 0 and resolved = 0 and scanned_at = '"
                        + T0.minusSeconds(60)
                        + "'";
        assertThat(count(recorded)).isEqualTo(1);
        assertThat(count("select count(*) from scans")).isEqualTo(2);
        assertThat(count("select count(*) from audit_log")).isEqualTo(1);
    }

    @Test
    void resolvedInsightIsReopenedWhenFoundAgain() {
        scan(T0, List.of("a"), List.of(), finding("a", "r1"));
        scan(T0.plusSeconds(60), List.of("a"), List.of());

        WriteOutcome out =
                scan(
                        T0.plusSeconds(120),
                        List.of("a"),
                        List.of(),
                        finding("a", "r1", Severity.CRITICAL));

        assertThat(out.reopened()).isEqualTo(1);
        assertThat(out.opened()).isZero();
        assertThat(insight("a", "r1"))
                .containsEntry("status", "open")
                .containsEntry("resolved_at", null)
                .containsEntry("severity", "critical");
        assertThat(
                        count(
                                "select count(*) from audit_log where action = 'reopened' and from_status = 'resolved'"))
                .isEqualTo(1);
    }

    @Test
    void dismissedInsightStaysDismissedWhileFailing() {
        scan(T0, List.of("a"), List.of(), finding("a", "r1"));
        pg.execute("update insights set dismissed = true");

        scan(T0.plusSeconds(60), List.of("a"), List.of(), finding("a", "r1"));

        assertThat(insight("a", "r1"))
                .containsEntry("dismissed", true)
                .containsEntry("status", "open");
    }

    @Test
    void auditLogRecordsEveryStateChange() {
        scan(T0, List.of("a"), List.of(), finding("a", "r1"), finding("a", "r2"));
        scan(T0.plusSeconds(60), List.of("a"), List.of(), finding("a", "r1"));
        scan(T0.plusSeconds(120), List.of("a"), List.of(), finding("a", "r1"), finding("a", "r2"));

        List<String> actions =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select action || ':' || coalesce(from_status, '-') || '>' ||"
                                                        + " to_status || ':' || changed_by from audit_log"
                                                        + " order by audit_id")
                                        .mapTo(String.class)
                                        .list());
        assertThat(actions)
                .containsExactly(
                        "opened:->open:system",
                        "opened:->open:system",
                        "resolved:open>resolved:system",
                        "reopened:resolved>open:system");
    }

    @Test
    void unknownTargetIsRejected() {
        assertThatThrownBy(
                        () ->
                                writer.apply(
                                        zoneResult(
                                                "acc1", "nozone", T0, List.of(), List.of(),
                                                List.of())))
                .isInstanceOf(UnknownTargetException.class)
                .hasMessageContaining("unknown target 'nozone'");
    }

    @Test
    void tooManyFindingsWriteNothing() {
        ResultWriter capped = ResultWriter.create(pg.dataSource(), 10, 100);

        assertThatThrownBy(
                        () ->
                                capped.apply(
                                        zoneResult(
                                                "acc1",
                                                "zone1",
                                                T0,
                                                List.of("check_0"),
                                                List.of(),
                                                many(101, 2))))
                .isInstanceOf(TooManyFindingsException.class)
                .hasMessageContaining("at most 100 findings");
        assertThat(count("select count(*) from insights")).isZero();
        assertThat(count("select count(*) from scans")).isZero();
        assertThat(count("select count(*) from insight_staging")).isZero();
    }

    @Test
    void failureWhileStreamingRollsBackEverything() {
        scan(T0, List.of("check_0"), List.of(), finding("check_0", "old"));
        Iterator<ResultFinding> source = many(5_000, 3).iterator();
        Iterator<ResultFinding> failing =
                new Iterator<>() {
                    int n;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public ResultFinding next() {
                        if (++n > 4_000) {
                            throw new MalformedResultException("findings[4000].severity", "bad");
                        }
                        return source.next();
                    }
                };
        ScanHeader header =
                ScanHeader.of(
                        zoneResult(
                                "acc1",
                                "zone1",
                                T0.plusSeconds(60),
                                List.of("check_0"),
                                List.of(),
                                List.of()));

        assertThatThrownBy(() -> writer.apply(header, failing))
                .isInstanceOf(MalformedResultException.class);
        assertThat(count("select count(*) from insights")).isEqualTo(1);
        assertThat(insight("check_0", "old")).containsEntry("status", "open");
        assertThat(count("select count(*) from scans")).isEqualTo(1);
    }
}
