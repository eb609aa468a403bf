package dev.vigil.results;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import dev.vigil.testing.TestPostgres;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Episodes (issue 21): one row per open period of an insight, kept in the results transaction by
 * every write path, dated by scan times over several simulated months.
 */
class EpisodesIT {
    static TestPostgres pg;
    static Jdbi jdbi;
    static final Instant JAN = Instant.parse("2027-01-05T10:00:00Z");
    static final Instant FEB = Instant.parse("2027-02-03T10:00:00Z");
    static final Instant MAR = Instant.parse("2027-03-10T10:00:00Z");
    static final Instant APR = Instant.parse("2027-04-20T10:00:00Z");

    /** One episode as read back: number, opened, resolved (null while open), dismissed, class. */
    record Episode(
            int episode,
            Instant openedAt,
            Instant resolvedAt,
            boolean dismissed,
            String classification,
            String severity) {}

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
    void reset() {
        pg.reset();
        pg.zoneTarget("acc1", "zone1");
        writer = ResultWriter.create(pg.dataSource(), 50, 100_000);
    }

    /** The paths a small result can take: one call, or the batch apply. */
    enum Path {
        ONE_CALL,
        BATCH
    }

    private void scan(Path path, Instant at, ResultFinding... fs) {
        ScanResult r = zoneResult("acc1", "zone1", at, List.of("a", "b"), List.of(), List.of(fs));
        if (path == Path.BATCH) {
            assertThat(writer.applyAll(List.of(r))).hasSize(1);
        } else {
            assertThat(writer.apply(r).applied()).isTrue();
        }
    }

    @Test
    void reopenStartsANewEpisodeAndResolveEndsTheCurrentOneOnTheBatchPath() {
        lifecycle(Path.BATCH);
    }

    @Test
    void theOneCallPathKeepsTheSameEpisodes() {
        lifecycle(Path.ONE_CALL);
    }

    private void lifecycle(Path path) {
        scan(path, JAN, finding("a", "r1"));
        scan(path, JAN.plusSeconds(86_400), finding("a", "r1")); // still open: nothing changes
        scan(path, FEB); // resolved
        scan(path, MAR, finding("a", "r1")); // reopened
        dismiss("a", "r1");
        scan(path, APR); // resolved again

        assertThat(episodes("a", "r1"))
                .containsExactly(
                        new Episode(1, JAN, FEB, false, null, "high"),
                        new Episode(2, MAR, APR, true, null, "high"));
    }

    @Test
    void theApiRolesLoginKeepsEpisodesThroughTheTriggers() {
        writer = ResultWriter.create(pg.memberOf("vigil_api"), 50, 100_000);

        lifecycle(Path.BATCH);
    }

    @Test
    void anOpenEpisodeHasNoResolveTimeAndFollowsSeverityAndClassification() {
        scan(Path.BATCH, JAN, finding("a", "r1", Severity.MODERATE));
        scan(Path.BATCH, FEB, finding("a", "r1", Severity.CRITICAL));
        jdbi.useHandle(
                h ->
                        h.execute(
                                "update insights set classification = 'accept_risk',"
                                        + " classification_rationale = 'lab zone'"
                                        + " where check_id = 'a'"));

        assertThat(episodes("a", "r1"))
                .containsExactly(new Episode(1, JAN, null, false, "accept_risk", "critical"));
    }

    @Test
    void theCopyPathOpensOneEpisodePerNewInsightInOneStatement() {
        List<ResultFinding> big = many(300, 2);
        ScanResult r =
                zoneResult("acc1", "zone1", JAN, List.of("check_0", "check_1"), List.of(), big);
        WriteOutcome out = writer.apply(r);
        assertThat(out.path()).isEqualTo(WritePath.COPY);

        assertThat(count("select count(*) from insight_episodes where resolved_at is null"))
                .isEqualTo(300);
        assertThat(
                        count(
                                "select count(*) from insight_episodes e join insights i"
                                        + " using (account_id, insight_id)"
                                        + " where e.opened_at = i.first_seen_at and e.episode = 1"))
                .isEqualTo(300);

        // the next scan sees none of them: every episode ends at its time
        writer.apply(
                zoneResult(
                        "acc1", "zone1", FEB, List.of("check_0", "check_1"), List.of(), List.of()));
        assertThat(count("select count(*) from insight_episodes where resolved_at = '" + FEB + "'"))
                .isEqualTo(300);
    }

    @Test
    void aRescanThatChangesNothingWritesNoEpisode() {
        scan(Path.BATCH, JAN, finding("a", "r1"), finding("b", "r2"));
        long before = count("select count(*) from insight_episodes");
        for (int day = 1; day <= 5; day++) {
            scan(
                    Path.BATCH,
                    JAN.plusSeconds(86_400L * day),
                    finding("a", "r1"),
                    finding("b", "r2"));
        }

        assertThat(before).isEqualTo(2);
        assertThat(count("select count(*) from insight_episodes")).isEqualTo(2);
        assertThat(count("select count(*) from insight_episodes where resolved_at is null"))
                .isEqualTo(2);
    }

    private static void dismiss(String check, String key) {
        jdbi.useHandle(
                h ->
                        h.createUpdate(
                                        "update insights set dismissed = true"
                                                + " where check_id = :c and resource_key = :k")
                                .bind("c", check)
                                .bind("k", key)
                                .execute());
    }

    static List<Episode> episodes(String check, String key) {
        Function<OffsetDateTime, Instant> t = o -> o == null ? null : o.toInstant();
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select e.episode, e.opened_at, e.resolved_at, e.dismissed,"
                                                + " e.classification, e.severity"
                                                + " from insight_episodes e join insights i"
                                                + " using (account_id, insight_id)"
                                                + " where i.check_id = :c and i.resource_key = :k"
                                                + " order by e.episode")
                                .bind("c", check)
                                .bind("k", key)
                                .map(
                                        (rs, ctx) ->
                                                new Episode(
                                                        rs.getInt(1),
                                                        t.apply(
                                                                rs.getObject(
                                                                        2, OffsetDateTime.class)),
                                                        t.apply(
                                                                rs.getObject(
                                                                        3, OffsetDateTime.class)),
                                                        rs.getBoolean(4),
                                                        rs.getString(5),
                                                        rs.getString(6)))
                                .list());
    }

    static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
