package dev.vigil.app;

import static dev.vigil.app.RolloutQueries.actions;
import static dev.vigil.app.RolloutQueries.admin;
import static dev.vigil.app.RolloutQueries.check;
import static dev.vigil.app.RolloutQueries.count;
import static dev.vigil.app.RolloutQueries.insights;
import static dev.vigil.app.RolloutQueries.insightsBut;
import static dev.vigil.app.RolloutQueries.lastScanVersions;
import static dev.vigil.app.RolloutQueries.now;
import static dev.vigil.app.RolloutQueries.openBrokenInsights;
import static dev.vigil.app.RolloutQueries.openInsights;
import static dev.vigil.app.RolloutQueries.rolledBack;
import static dev.vigil.app.RolloutQueries.scannedTargetsSince;
import static dev.vigil.app.RolloutQueries.versionsSince;
import static dev.vigil.app.RolloutQueries.wouldOpen;
import static dev.vigil.app.RolloutQueries.zonesWithBrokenInsights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.checks.Rollout;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.testing.ZoneOnFreePlanRule;
import dev.vigil.worker.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 23 end to end: the whole pipeline (embedded Kafka and PostgreSQL, the API over HTTP, the
 * production workers syncing the rollout through the API) takes a rule change through shadow,
 * canary and rollback.
 */
class RuleRolloutIT {

    static final String FAILS_EVERYTHING =
            """
            id: custom.fails_everything
            applies_to: zone
            title: 'A broken rule'
            description: 'A rule change gone wrong: its assertion fails on every zone.'
            issue_type: compliance_violation
            severity: low
            risk: 'None: it is a mistake.'
            remediation:
              steps: ['Roll the rule back.']
              link: https://developers.cloudflare.com/fundamentals/
            reads: [zone]
            assert: >-
              false
            message: >-
              'zone ' + string(doc.zone.name) + ' fails'
            """;

    static final int ZONES = 120;

    static LocalPipeline start(long seed) {
        Env defaults = Env.of(Map.of());
        LocalPipeline p =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                seed,
                                6,
                                ZONES,
                                PlanIntervals.uniform(Duration.ofSeconds(2)),
                                0,
                                ConfigService.LatencyModel.none(),
                                null,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)));
        int targets = p.fleet().targets().size();
        await().atMost(Duration.ofMinutes(3))
                .until(
                        () ->
                                count(
                                                p,
                                                "select count(*) from targets where last_result_at is not null")
                                        == targets);
        return p;
    }

    /** Pushes the catalogue alone and makes it active: the base every rollout starts from. */
    static String activateCatalogue(LocalPipeline p, RolloutApi api) {
        String base = api.push(Map.of());
        api.promote(base, Map.of("percent", 100));
        awaitWorkersHold(api, p.rules());
        return base;
    }

    /** Until each of {@code holders} (the workers' rule holders) holds the rollout's generation. */
    static void awaitWorkersHold(RolloutApi api, RuleSetHolder... holders) {
        long g = api.rollout().path("rollout").path("generation").asLong();
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () -> {
                            for (RuleSetHolder h : holders) {
                                if (h.rollout().generation() < g) {
                                    return false;
                                }
                            }
                            return true;
                        });
    }

    @Test
    void aRuleThatFailsEverythingFloodsTheShadowDiffThenTripsTheCanaryGuardAndIsRolledBack() {
        try (LocalPipeline p = start(23L);
                RolloutApi api = new RolloutApi(p.apiUrl(), admin(p))) {
            String base = activateCatalogue(p, api);
            Set<String> before = insights(p);
            assertThat(before).isNotEmpty();

            String broken = api.push(Map.of("house/broken.yaml", FAILS_EVERYTHING));
            api.shadow(broken);
            // every zone shadow-scanned at least once: the diff shows the flood
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> wouldOpen(api.diff(broken), "custom.fails_everything") >= ZONES);
            JsonNode diff = api.diff(broken);
            JsonNode check = check(diff, "custom.fails_everything");
            assertThat(check.path("would_resolve").asLong()).isZero();
            assertThat(check.path("examples")).isNotEmpty();
            assertThat(check.path("examples").get(0).path("change").asString()).isEqualTo("open");
            assertThat(diff.path("checks")).as("only the broken check would change").hasSize(1);
            assertThat(insights(p)).as("shadow touches no insight").isEqualTo(before);

            Set<String> canary =
                    p.fleet().targets().stream()
                            .map(Target::targetId)
                            .filter(t -> Rollout.bucket(t, broken) < 10)
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(canary).isNotEmpty();
            api.promote(broken, Map.of("percent", 10, "min_targets", 3));

            await().atMost(Duration.ofMinutes(2)).until(() -> rolledBack(api) != null);
            JsonNode entry = rolledBack(api);
            assertThat(entry.path("changed_by").asString()).isEqualTo("rollout-guard");
            assertThat(entry.path("detail").path("reason").asString())
                    .startsWith("guard opened_per_target: the canary opened");
            assertThat(entry.path("detail").path("restored").asString()).isEqualTo(base);
            assertThat(zonesWithBrokenInsights(p))
                    .as("only canary targets changed")
                    .isNotEmpty()
                    .isSubsetOf(canary);

            // the rollback re-evaluates the canary targets with the restored version
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> openBrokenInsights(p) == 0 && insightsBut(p).equals(before));
            JsonNode rollout = api.rollout().path("rollout");
            assertThat(rollout.path("stage").asString()).isEqualTo("none");
            assertThat(rollout.path("active").asString()).isEqualTo(base);
            assertThat(rollout.path("rollbacks").asLong()).isEqualTo(1);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> actions(api).contains("rule_set_reevaluated"));
        }
    }

    @Test
    void
            aGoodChangeOpensTheExpectedInsightsOnceAndAWorkerJoiningMidRolloutAppliesTheSameVersions() {
        try (LocalPipeline p = start(29L);
                RolloutApi api = new RolloutApi(p.apiUrl(), admin(p))) {
            String base = activateCatalogue(p, api);
            Set<String> freeZones =
                    Set.copyOf(
                            Jdbi.create(p.database())
                                    .withHandle(
                                            h ->
                                                    h.createQuery(
                                                                    "select target_id from targets"
                                                                            + " where kind = 'zone' and plan = 'free'")
                                                            .mapTo(String.class)
                                                            .list()));
            assertThat(freeZones).isNotEmpty();

            String good = api.push(Map.of("free_plan.yaml", ZoneOnFreePlanRule.TEXT));
            api.shadow(good);
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> wouldOpen(api.diff(good), ZoneOnFreePlanRule.ID) > 0);
            for (JsonNode e : check(api.diff(good), ZoneOnFreePlanRule.ID).path("examples")) {
                assertThat(freeZones).contains(e.path("target_id").asString());
            }
            assertThat(openInsights(p, ZoneOnFreePlanRule.ID)).isZero();

            // a half canary; the guard allows this rule's expected share of new insights
            api.promote(good, Map.of("percent", 50, "max_opened_per_target", 5));
            awaitWorkersHold(api, p.rules());
            try (JoiningWorker joiner = new JoiningWorker(p)) {
                // its first sync ran before it consumed anything
                assertThat(joiner.rules().rollout().generation())
                        .isEqualTo(p.rules().rollout().generation());
                // both processes report what they hold (from their next sync on)
                await().atMost(Duration.ofMinutes(1))
                        .untilAsserted(
                                () -> {
                                    JsonNode workers = api.rollout().path("workers");
                                    assertThat(workers.findValuesAsString("worker_id"))
                                            .anyMatch(w -> w.contains("/joining-worker/"))
                                            .anyMatch(w -> w.contains("/local-workers/"));
                                    for (JsonNode w : workers) {
                                        assertThat(w.path("versions").toString())
                                                .contains(good)
                                                .contains(base);
                                    }
                                });
                for (Target t : p.fleet().targets()) {
                    String expected = Rollout.bucket(t.targetId(), good) < 50 ? good : base;
                    assertThat(joiner.rules().rollout().forTarget(t.targetId()).version())
                            .as(t.targetId())
                            .isEqualTo(expected);
                    assertThat(p.rules().rollout().forTarget(t.targetId()).version())
                            .isEqualTo(expected);
                }
                java.time.OffsetDateTime since = now(p);
                int targets = p.fleet().targets().size();
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        joiner.worker().scans().scanned() > 0
                                                && scannedTargetsSince(p, since) == targets);
                // every scan applied since, by either process: the version the hash picks
                Map<String, String> applied = versionsSince(p, since);
                assertThat(applied).isNotEmpty();
                applied.forEach(
                        (scan, target) -> {
                            int bar = target.indexOf('|');
                            String id = target.substring(0, bar);
                            assertThat(target.substring(bar + 1))
                                    .as("scan " + scan + " of " + id)
                                    .isEqualTo(Rollout.bucket(id, good) < 50 ? good : base);
                        });
                // canary insights are tagged with the version that produced them
                assertThat(lastScanVersions(p, ZoneOnFreePlanRule.ID)).containsOnly(good);
            }

            api.promote(good, Map.of("percent", 100));
            awaitWorkersHold(api, p.rules());
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> openInsights(p, ZoneOnFreePlanRule.ID) == freeZones.size());
            java.time.OffsetDateTime after = now(p);
            int targets = p.fleet().targets().size();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> scannedTargetsSince(p, after) == targets);
            assertThat(
                            Set.copyOf(
                                    Jdbi.create(p.database())
                                            .withHandle(
                                                    h ->
                                                            h.createQuery(
                                                                            "select zone_id from insights"
                                                                                    + " where check_id = 'custom.zone_on_free_plan'"
                                                                                    + " and status = 'open'")
                                                                    .mapTo(String.class)
                                                                    .list())))
                    .isEqualTo(freeZones);
            assertThat(
                            count(
                                    p,
                                    "select count(*) from insights"
                                            + " where check_id = 'custom.zone_on_free_plan'"))
                    .as("one insight per free zone")
                    .isEqualTo(freeZones.size());
            assertThat(
                            count(
                                    p,
                                    """
                                    select count(*) from audit_log a
                                      join insights i on i.account_id = a.account_id
                                                     and i.insight_id = a.insight_id
                                     where i.check_id = 'custom.zone_on_free_plan'
                                       and a.action in ('opened', 'reopened', 'resolved')
                                    """))
                    .as("each opened once, never resolved or reopened")
                    .isEqualTo(freeZones.size());
            JsonNode rollout = api.rollout().path("rollout");
            assertThat(rollout.path("active").asString()).isEqualTo(good);
            assertThat(rollout.path("previous").asString()).isEqualTo(base);
            assertThat(rollout.path("rollbacks").asLong()).isZero();
        }
    }
}
