package dev.vigil.alerts;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.results.NaiveResultWriter;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultWriter;
import dev.vigil.results.WriteOutcome;
import dev.vigil.results.WritePath;
import dev.vigil.testing.TestPostgres;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox the results transaction fills (issue 19): one row per audited event and matching
 * enabled rule, on every write path, deduplicated, and nothing when the transaction rolls back.
 */
class AlertOutboxIT {

    static TestPostgres pg;
    static Jdbi jdbi;
    static AlertFixtures alerts;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final List<String> CHECKS = List.of("dns.a", "dns.b");
    ResultWriter writer;
    long hook;

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
        alerts = new AlertFixtures(jdbi);
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    @BeforeEach
    void resetTables() {
        pg.reset();
        pg.execute(AlertFixtures.TABLES);
        pg.zoneTarget("acc1", "zone1");
        writer = ResultWriter.create(pg.dataSource(), ResultWriter.DEFAULT_UNNEST_THRESHOLD, 1_000);
        hook = alerts.webhook("acc1", "hook", "https://hooks.example/", new byte[] {1});
    }

    private WriteOutcome scan(Instant at, ResultFinding... fs) {
        return writer.apply(zoneResult("acc1", "zone1", at, CHECKS, List.of(), List.of(fs)));
    }

    @Test
    void anOpeningQueuesOneRowPerMatchingRuleAndNoneForEachFilterItFails() {
        alerts.rule("acc1", "all", hook, "");
        alerts.rule("acc1", "critical", hook, "severities = '{critical}'");
        alerts.rule(
                "acc1", "not-critical", hook, "severities = '{critical}', severity_negated = true");
        alerts.rule("acc1", "zone1", hook, "zone_ids = '{zone1}'");
        alerts.rule("acc1", "zone2", hook, "zone_ids = '{zone2}'");
        alerts.rule("acc1", "not-zone1", hook, "zone_ids = '{zone1}', zone_negated = true");
        alerts.rule("acc1", "exposed", hook, "issue_types = '{exposed_infrastructure}'");
        alerts.rule(
                "acc1",
                "not-exposed",
                hook,
                "issue_types = '{exposed_infrastructure}', issue_type_negated = true");
        alerts.rule("acc1", "check-a", hook, "check_ids = '{dns.a,tls.x}'");
        alerts.rule("acc1", "check-b", hook, "check_ids = '{dns.b}'");
        alerts.rule("acc1", "not-check-a", hook, "check_ids = '{dns.a}', check_negated = true");
        alerts.rule("acc1", "dns", hook, "families = '{dns}'");
        alerts.rule("acc1", "tls", hook, "families = '{tls}'");
        alerts.rule("acc1", "not-dns", hook, "families = '{dns}', family_negated = true");
        alerts.rule("acc1", "paused", hook, "paused_at = now()");
        alerts.rule("acc1", "reopened-only", hook, "triggers = '{reopened}'");
        long disabled = alerts.webhook("acc1", "off", "https://off.example/", new byte[] {1});
        alerts.execute("update alert_destinations set disabled_at = now() where name = 'off'");
        alerts.rule("acc1", "to-disabled", disabled, "");
        long other = alerts.webhook("acc2", "hook", "https://hooks.example/", new byte[] {1});
        alerts.rule("acc2", "other-account", other, "");

        scan(T0, finding("dns.a", "r1"));

        assertThat(alerts.outbox())
                .containsExactlyInAnyOrder(
                        "all/opened",
                        "not-critical/opened",
                        "zone1/opened",
                        "not-exposed/opened",
                        "check-a/opened",
                        "dns/opened");
        assertThat(alerts.rows("select period_start, account_id from alert_outbox"))
                .allSatisfy(
                        r -> {
                            assertThat(r.get("period_start")).isEqualTo(Timestamp.from(T0));
                            assertThat(r.get("account_id")).isEqualTo("acc1");
                        });
    }

    @Test
    void aRescanQueuesNothing() {
        alerts.rule("acc1", "all", hook, "");
        scan(T0, finding("dns.a", "r1"));
        scan(T0.plusSeconds(60), finding("dns.a", "r1"));

        assertThat(alerts.outbox()).containsExactly("all/opened");
    }

    @Test
    void aReopenQueuesOneMoreAndAResolveNoneForARuleWithoutThatTrigger() {
        alerts.rule("acc1", "open-or-reopen", hook, "triggers = '{opened,reopened}'");
        scan(T0, finding("dns.a", "r1"));
        scan(T0.plusSeconds(60));
        scan(T0.plusSeconds(120), finding("dns.a", "r1"));

        assertThat(alerts.outbox())
                .containsExactly("open-or-reopen/opened", "open-or-reopen/reopened");
        assertThat(alerts.rows("select period_start from alert_outbox order by outbox_id"))
                .extracting(r -> r.get("period_start"))
                .containsExactly(Timestamp.from(T0), Timestamp.from(T0.plusSeconds(120)));
    }

    @Test
    void aDismissedInsightAlertsNoOneWhenItResolvesOrReopens() {
        alerts.rule("acc1", "every", hook, "triggers = '{opened,reopened,resolved}'");
        scan(T0, finding("dns.a", "r1"));
        pg.execute("update insights set dismissed = true");
        scan(T0.plusSeconds(60));
        scan(T0.plusSeconds(120), finding("dns.a", "r1"));

        assertThat(alerts.outbox()).containsExactly("every/opened");
    }

    @Test
    void aResolveQueuesOnlyForRulesWithTheResolvedTrigger() {
        alerts.rule("acc1", "opened", hook, "");
        alerts.rule("acc1", "resolved", hook, "triggers = '{resolved}'");
        scan(T0, finding("dns.a", "r1"));
        scan(T0.plusSeconds(60));

        assertThat(alerts.outbox()).containsExactly("opened/opened", "resolved/resolved");
    }

    @Test
    void anInsightWithoutZoneMatchesOnlyRulesWithoutOrNegatingAZoneFilter() {
        pg.accountTarget("acc1");
        alerts.rule("acc1", "all", hook, "");
        alerts.rule("acc1", "zone1", hook, "zone_ids = '{zone1}'");
        alerts.rule("acc1", "not-zone1", hook, "zone_ids = '{zone1}', zone_negated = true");

        writer.apply(accountResult("acc1", T0, CHECKS, List.of(finding("dns.a", "member/1"))));

        assertThat(alerts.outbox()).containsExactlyInAnyOrder("all/opened", "not-zone1/opened");
    }

    @Test
    void theCopyPathQueuesAsTheUnnestPath() {
        alerts.rule("acc1", "all", hook, "triggers = '{opened,reopened,resolved}'");
        ResultWriter copy = ResultWriter.create(pg.dataSource(), 0, 1_000);
        // an empty target: the findings are copied straight into insights
        WriteOutcome first =
                copy.apply(
                        zoneResult(
                                "acc1",
                                "zone1",
                                T0,
                                CHECKS,
                                List.of(),
                                List.of(finding("dns.a", "r1"), finding("dns.a", "r2"))));
        // through staging: r2 resolved, r3 new
        copy.apply(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0.plusSeconds(60),
                        CHECKS,
                        List.of(),
                        List.of(finding("dns.a", "r1"), finding("dns.a", "r3"))));
        // through staging: r2 reopened
        copy.apply(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0.plusSeconds(120),
                        CHECKS,
                        List.of(),
                        List.of(finding("dns.a", "r1"), finding("dns.a", "r2"))));

        assertThat(first.path()).isEqualTo(WritePath.COPY);
        assertThat(alerts.outbox())
                .containsExactlyInAnyOrder(
                        "all/opened",
                        "all/opened",
                        "all/resolved",
                        "all/opened",
                        "all/resolved",
                        "all/reopened");
    }

    @Test
    void theNaiveWriterQueuesToo() {
        alerts.rule("acc1", "all", hook, "");
        NaiveResultWriter.create(pg.dataSource())
                .apply(
                        zoneResult(
                                "acc1",
                                "zone1",
                                T0,
                                CHECKS,
                                List.of(),
                                List.of(finding("dns.a", "r1"))));

        assertThat(alerts.outbox()).containsExactly("all/opened");
    }

    @Test
    void aRolledBackResultQueuesNothing() {
        alerts.rule("acc1", "all", hook, "");
        // fails the statement after the outbox's, in the same transaction
        pg.execute(
                """
                create function fail_scan() returns trigger language plpgsql as $$
                begin raise exception 'recording the scan failed'; end $$
                """,
                "create trigger fail_scan before insert on scans for each row"
                        + " execute function fail_scan()");
        try {
            assertThatThrownBy(() -> scan(T0, finding("dns.a", "r1")))
                    .hasMessageContaining("recording the scan failed");
        } finally {
            pg.execute("drop trigger fail_scan on scans", "drop function fail_scan()");
        }

        assertThat(alerts.outbox()).isEmpty();
        assertThat(alerts.count("select count(*) from insights")).isZero();
    }
}
