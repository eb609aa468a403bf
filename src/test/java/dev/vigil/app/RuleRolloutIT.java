package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.checks.Rollout;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
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
    static String activateCatalogue(RolloutApi api) {
        String base = api.push(Map.of());
        api.promote(base, Map.of("percent", 100));
        awaitWorkersHold(api);
        return base;
    }

    /** Until every worker that synced holds the rollout's generation. */
    static void awaitWorkersHold(RolloutApi api) {
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () -> {
                            JsonNode r = api.rollout();
                            long g = r.path("rollout").path("generation").asLong();
                            JsonNode workers = r.path("workers");
                            if (workers.isEmpty()) {
                                return false;
                            }
                            for (JsonNode w : workers) {
                                if (w.path("generation").asLong() < g) {
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
            String base = activateCatalogue(api);
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

    static String admin(LocalPipeline p) {
        return ApiTokens.create(p.database()).issueAdmin("rollout-admin");
    }

    static long wouldOpen(JsonNode diff, String checkId) {
        return check(diff, checkId).path("would_open").asLong();
    }

    static JsonNode check(JsonNode diff, String checkId) {
        for (JsonNode c : diff.path("checks")) {
            if (c.path("check_id").asString().equals(checkId)) {
                return c;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    static @org.jspecify.annotations.Nullable JsonNode rolledBack(RolloutApi api) {
        for (JsonNode e : api.audit()) {
            if (e.path("action").asString().equals("rule_set_rolled_back")) {
                return e;
            }
        }
        return null;
    }

    static List<String> actions(RolloutApi api) {
        List<String> out = new java.util.ArrayList<>();
        api.audit().forEach(e -> out.add(e.path("action").asString()));
        return out;
    }

    /** Every insight with its state, the broken check's aside. */
    static Set<String> insightsBut(LocalPipeline p) {
        return insights(p).stream()
                .filter(i -> !i.contains("|custom.fails_everything|"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> insights(LocalPipeline p) {
        return Set.copyOf(
                Jdbi.create(p.database())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        """
                                                        select account_id || '|' || coalesce(zone_id, '')
                                                               || '|' || check_id || '|' || resource_key
                                                               || '|' || status || '|' || dismissed
                                                          from insights
                                                        """)
                                                .mapTo(String.class)
                                                .list()));
    }

    static Set<String> zonesWithBrokenInsights(LocalPipeline p) {
        return Set.copyOf(
                Jdbi.create(p.database())
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "select distinct zone_id from insights"
                                                                + " where check_id = 'custom.fails_everything'")
                                                .mapTo(String.class)
                                                .list()));
    }

    static long openBrokenInsights(LocalPipeline p) {
        return count(
                p,
                "select count(*) from insights where check_id = 'custom.fails_everything'"
                        + " and status = 'open'");
    }

    static long count(LocalPipeline p, String sql) {
        return Jdbi.create(p.database())
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
