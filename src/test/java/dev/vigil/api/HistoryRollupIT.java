package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.results.EpisodeRollups;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * MTTR and SLA attainment of closed months from their rollups (issue 21): the same answers as from
 * the episodes, a late change read from the episodes until the next pass recomputes the month, and
 * the rollup actually read once a month is ready. The history is {@link HistoryApiIT}'s (January
 * and February 2026); the upkeep pass runs with a clock in March.
 */
class HistoryRollupIT {
    static final String MTTR = "v1/accounts/acc1/history/mttr?from=2026-01&to=2026-03";
    static final String ATTAINMENT =
            "v1/accounts/acc1/history/sla-attainment?from=2026-01&to=2026-03";
    static ApiHarness api;
    String writer;
    String reader;
    EpisodeRollups rollups;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @BeforeEach
    void history() throws Exception {
        api.pg.reset();
        api.pg.execute("truncate sla_targets");
        writer = api.tokens.issueForAccounts("alice", List.of("acc1"));
        reader = api.tokens.issueForAccounts("bob", List.of("acc1"), false);
        HistoryApiIT.twoMonths(api);
        Clock march = Clock.fixed(Instant.parse("2026-03-15T00:00:00Z"), ZoneOffset.UTC);
        rollups = EpisodeRollups.create(api.pg.dataSource(), march, 24);
    }

    private JsonNode get(String path) throws Exception {
        return api.get(path, reader).get("result");
    }

    @Test
    void rolledUpMonthsAnswerExactlyAsTheEpisodesDo() throws Exception {
        JsonNode mttr = get(MTTR);
        JsonNode attainment = get(ATTAINMENT);

        EpisodeRollups.Pass pass = rollups.refresh();

        assertThat(pass.rolled())
                .hasSize(24)
                .contains(YearMonth.of(2026, 1), YearMonth.of(2026, 2));
        assertThat(pass.rolled()).doesNotContain(YearMonth.of(2026, 3));
        assertThat(api.count("select count(*) from episode_rollup_months where ready"))
                .isEqualTo(24);
        // January: critical 10 days, high 2 and 4 days; February: high 1 day; one bucket each
        assertThat(api.count("select count(*) from episode_rollups")).isEqualTo(4);
        assertThat(get(MTTR)).isEqualTo(mttr);
        assertThat(get(ATTAINMENT)).isEqualTo(attainment);
        assertThat(rollups.refresh()).isEqualTo(new EpisodeRollups.Pass(List.of(), 0));
    }

    @Test
    void aReadyMonthIsAnsweredFromItsRollupAndAZoneFromItsEpisodes() throws Exception {
        rollups.refresh();
        // behind the triggers' back, as no writer can: February's episode now took two days
        api.jdbi.useTransaction(
                h -> {
                    h.execute("set local session_replication_role = replica");
                    h.execute(
                            "update insight_episodes set opened_at = opened_at - interval '1 day'"
                                    + " where resolved_at >= '2026-02-01'");
                });

        JsonNode account = get(MTTR);
        JsonNode zone = get("v1/zones/zone1/history/mttr?from=2026-01&to=2026-03");

        assertThat(account.get(2).get("month").asString()).isEqualTo("2026-02");
        assertThat(account.get(2).get("mean_seconds").asDouble()).isEqualTo(HistoryApiIT.DAY);
        assertThat(zone.get(2).get("mean_seconds").asDouble()).isEqualTo(2.0 * HistoryApiIT.DAY);
    }

    @Test
    void aLateChangeIsReadFromTheEpisodesUntilTheNextPassRecomputesItsMonth() throws Exception {
        rollups.refresh();
        long h1 = api.insightId("acc1", "h1");

        // dismissing h1 marks its February episode, resolved in a rolled-up month, dismissed
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + h1 + "/dismiss",
                writer,
                "{\"dismiss\": true}");

        assertThat(
                        api.count(
                                "select count(*) from episode_rollup_dirty where month = '2026-02-01'"))
                .isEqualTo(1);
        JsonNode changed = get(ATTAINMENT);
        // dismissed episodes count neither for nor against the SLA: February has none left
        assertThat(changed.findValuesAsString("month")).containsExactly("2026-01", "2026-01");

        EpisodeRollups.Pass pass = rollups.refresh();

        assertThat(pass).isEqualTo(new EpisodeRollups.Pass(List.of(), 1));
        assertThat(api.count("select count(*) from episode_rollup_dirty")).isZero();
        assertThat(get(ATTAINMENT)).isEqualTo(changed);
        assertThat(
                        api.count(
                                "select count(*) from episode_rollups where month = '2026-02-01'"
                                        + " and dismissed"))
                .isEqualTo(1);
    }

    @Test
    void theMonthInProgressIsNeverRolledUpAndChangesInItLeaveNoNote() throws Exception {
        rollups.refresh();

        HistoryApiIT.scan(api, Instant.parse("2026-03-02T10:00:00Z"), "h7");
        HistoryApiIT.scan(api, Instant.parse("2026-03-03T10:00:00Z"));

        assertThat(api.count("select count(*) from episode_rollup_dirty")).isZero();
        JsonNode mttr = get(MTTR);
        assertThat(mttr.get(mttr.size() - 1).get("month").asString()).isEqualTo("2026-03");
        assertThat(mttr.get(mttr.size() - 1).get("mean_seconds").asDouble())
                .isEqualTo(HistoryApiIT.DAY);
    }

    @Test
    void everyChangeARollupCanSeeNotesItsMonthOncePerEpisodeWhateverTheStatement()
            throws Exception {
        rollups.refresh();

        // one statement, three January episodes: a note each (the marks are per statement now,
        // the notes still per episode)
        api.pg.execute(
                "update insight_episodes set severity = 'low' where resolved_at < '2026-02-01'");
        assertThat(notes()).isEqualTo("2026-01-01 3");

        // February's episode moves to January: its old month and its new one
        api.pg.execute(
                "update insight_episodes set resolved_at = resolved_at - interval '15 days'"
                        + " where resolved_at >= '2026-02-01' and resolved_at < '2026-03-01'");
        assertThat(notes()).isEqualTo("2026-01-01 1, 2026-02-01 1");

        // what no rollup reads (the classification) and what is not resolved: no note
        api.pg.execute("update insight_episodes set classification = 'accept_risk'");
        api.pg.execute("update insight_episodes set severity = 'low' where resolved_at is null");
        assertThat(notes()).isEmpty();

        // a late episode resolved in a rolled-up month, and one deleted from it
        api.pg.execute(
                "insert into insight_episodes (account_id, insight_id, episode, zone_id, check_id,"
                        + " severity, opened_at, resolved_at, dismissed, classification)"
                        + " select account_id, insight_id, episode + 100, zone_id, check_id,"
                        + " severity, timestamptz '2026-02-03T00:00:00Z',"
                        + " timestamptz '2026-02-04T00:00:00Z', false, null"
                        + " from insight_episodes where resolved_at is not null limit 1");
        assertThat(notes()).isEqualTo("2026-02-01 1");
        api.pg.execute("delete from insight_episodes where episode > 100");
        assertThat(notes()).isEqualTo("2026-02-01 1");

        // the month in progress is never rolled up: a change in it notes nothing
        api.pg.execute(
                "update insight_episodes set resolved_at = timestamptz '2026-03-10T00:00:00Z'"
                        + " where resolved_at is null");
        assertThat(notes()).isEmpty();
    }

    /** The notes taken since the last call, as "month count" by month; then drops them. */
    private String notes() throws Exception {
        String notes =
                api.jdbi.withHandle(
                        h ->
                                String.join(
                                        ", ",
                                        h.createQuery(
                                                        "select month || ' ' || count(*)"
                                                                + " from episode_rollup_dirty"
                                                                + " group by month order by month")
                                                .mapTo(String.class)
                                                .list()));
        api.pg.execute("truncate episode_rollup_dirty");
        return notes;
    }
}
