package dev.vigil.api.internal;

import dev.vigil.api.ScanRequester;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.inventory.Inventory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The workers' side of the rollout (issue 23): their reports summed into the shadow and cohort
 * counts, the shadow diff read back, the canary guards checked, and a rollback's re-evaluation
 * published once every live worker holds the rolled-back generation. Called from the sync route, so
 * it runs as often as workers sync; the guard check and the re-evaluation are claimed through the
 * rollout row, so one API replica does each.
 */
final class RolloutReports {
    private static final Logger log = LoggerFactory.getLogger(RolloutReports.class);

    /** A worker that has not synced for this long is no longer waited for. */
    static final Duration LIVE = Duration.ofSeconds(30);

    /** How often the guards are checked at most (the first sync past it does). */
    static final Duration GUARD_EVERY = Duration.ofSeconds(2);

    /**
     * A cohort's scans since the stage began: what its rule set version touched and opened. Read
     * through the BRIN index over {@code applied_at} (V22), not the whole month's partition. A
     * superseded scan (its result came after a newer one of the target) touched nothing.
     */
    static final String COHORT_SCANS =
            """
            select count(distinct target_id) as targets,
                   coalesce(sum(opened), 0) as opened
              from scans
             where rule_set_version = :v and applied_at >= :since
               and write_path <> 'superseded'
            """;

    /** The actor of automatic rollbacks in the audit log. */
    static final String GUARD_ACTOR = "rollout-guard";

    private final Jdbi jdbi;
    private final RuleSetStore store;
    private final Inventory inventory;
    private final @Nullable ScanRequester requester;

    /**
     * @param requester where re-evaluation scans go (null without Kafka: they wait); each is
     *     published in the fast lane, which hands a large target to the slow lane as any scan
     */
    RolloutReports(
            Jdbi jdbi, RuleSetStore store, Inventory inventory, @Nullable ScanRequester requester) {
        this.jdbi = jdbi;
        this.store = store;
        this.inventory = inventory;
        this.requester = requester;
    }

    /** Records one worker's report (its generation, versions and counts). */
    void record(JsonNode report) {
        String worker = report.path("worker_id").asString("");
        if (worker.isBlank() || worker.length() > 300) {
            throw ApiProblem.badRequest(
                    "worker_id", "field 'worker_id' is required: 1 to 300 characters");
        }
        List<String> versions = new ArrayList<>();
        report.path("versions").forEach(v -> versions.add(v.asString()));
        jdbi.useTransaction(
                h -> {
                    h.createUpdate(
                                    """
                                    insert into rule_workers (worker_id, generation, versions)
                                    values (:w, :g, :v)
                                    on conflict (worker_id) do update set generation = :g,
                                        versions = :v, seen_at = now()
                                    """)
                            .bind("w", worker)
                            .bind("g", report.path("generation").asLong())
                            .bind("v", versions.toArray(String[]::new))
                            .execute();
                    for (JsonNode r : report.path("shadow")) {
                        h.createUpdate(
                                        """
                                        insert into rule_shadow_counts
                                            (candidate, check_id, scans, would_open, would_resolve)
                                        select :c, :k, :s, :o, :r
                                         where exists (select 1 from rule_sets where version = :c)
                                        on conflict (candidate, check_id) do update set
                                            scans = rule_shadow_counts.scans + excluded.scans,
                                            would_open = rule_shadow_counts.would_open
                                                + excluded.would_open,
                                            would_resolve = rule_shadow_counts.would_resolve
                                                + excluded.would_resolve
                                        """)
                                .bind("c", r.path("candidate").asString())
                                .bind("k", r.path("check_id").asString())
                                .bind("s", r.path("scans").asLong())
                                .bind("o", r.path("would_open").asLong())
                                .bind("r", r.path("would_resolve").asLong())
                                .execute();
                    }
                    for (JsonNode e : report.path("examples")) {
                        h.createUpdate(
                                        """
                                        insert into rule_shadow_examples
                                            (candidate, check_id, change, target_id, resource_key)
                                        select :c, :k, :ch, :t, :rk
                                         where exists (select 1 from rule_sets where version = :c)
                                           and (select count(*) from rule_shadow_examples
                                                 where candidate = :c and check_id = :k
                                                   and change = :ch) < :max
                                        on conflict do nothing
                                        """)
                                .bind("c", e.path("candidate").asString())
                                .bind("k", e.path("check_id").asString())
                                .bind(
                                        "ch",
                                        "resolve".equals(e.path("change").asString())
                                                ? "resolve"
                                                : "open")
                                .bind("t", e.path("target_id").asString())
                                .bind("rk", e.path("resource_key").asString())
                                .bind("max", dev.vigil.checks.RolloutCounts.EXAMPLES_PER_CHECK)
                                .execute();
                    }
                    for (JsonNode r : report.path("cohorts")) {
                        h.createUpdate(
                                        """
                                        insert into rule_cohort_counts
                                            (candidate, cohort, check_id, evaluations, errors,
                                             eval_nanos)
                                        select :c, :co, :k, :n, :e, :t
                                         where exists (select 1 from rule_sets where version = :c)
                                        on conflict (candidate, cohort, check_id) do update set
                                            evaluations = rule_cohort_counts.evaluations
                                                + excluded.evaluations,
                                            errors = rule_cohort_counts.errors + excluded.errors,
                                            eval_nanos = rule_cohort_counts.eval_nanos
                                                + excluded.eval_nanos
                                        """)
                                .bind("c", r.path("candidate").asString())
                                .bind(
                                        "co",
                                        "canary".equals(r.path("cohort").asString())
                                                ? "canary"
                                                : "rest")
                                .bind("k", r.path("check_id").asString())
                                .bind("n", r.path("evaluations").asLong())
                                .bind("e", r.path("errors").asLong())
                                .bind("t", r.path("eval_nanos").asLong())
                                .execute();
                    }
                });
    }

    /**
     * Checks the canary's guards, at most every {@link #GUARD_EVERY} across replicas, and rolls the
     * canary back when one trips.
     */
    void guard() {
        record Verdict(String candidate, int percent, Optional<String> trip) {}
        Optional<Verdict> verdict =
                jdbi.inTransaction(
                        h -> {
                            int claimed =
                                    h.createUpdate(
                                                    """
                                                    update rule_rollout set guard_checked_at = now()
                                                     where stage = 'canary'
                                                       and guard_checked_at
                                                           < now() - make_interval(secs => :every)
                                                    """)
                                            .bind("every", (double) GUARD_EVERY.toSeconds())
                                            .execute();
                            if (claimed == 0) {
                                return Optional.<Verdict>empty();
                            }
                            RolloutState s = RuleSetStore.state(h, false);
                            String candidate = java.util.Objects.requireNonNull(s.candidate());
                            String active = java.util.Objects.requireNonNull(s.active());
                            return Optional.of(
                                    new Verdict(
                                            candidate,
                                            s.percent(),
                                            s.guards()
                                                    .trip(
                                                            cohort(
                                                                    h, candidate, "canary",
                                                                    candidate, s),
                                                            cohort(
                                                                    h, candidate, "rest", active,
                                                                    s))));
                        });
        if (verdict.isPresent() && verdict.get().trip().isPresent()) {
            Verdict v = verdict.get();
            String reason = v.trip().get();
            log.warn(
                    "rule rollout: a guard tripped on the {} % canary of {}, rolling back: {}",
                    v.percent(), v.candidate(), reason);
            store.rollback(reason, GUARD_ACTOR, v.candidate());
        }
    }

    private static RolloutGuards.Cohort cohort(
            Handle h, String candidate, String cohort, String version, RolloutState s) {
        long[] scans =
                h.createQuery(COHORT_SCANS)
                        .bind("v", version)
                        .bind("since", s.stageSince())
                        .map((rs, c) -> new long[] {rs.getLong("targets"), rs.getLong("opened")})
                        .one();
        Map<String, RolloutGuards.CheckCounts> checks = new HashMap<>();
        long[] whole = new long[2];
        h.createQuery(
                        """
                        select check_id, evaluations, errors, eval_nanos from rule_cohort_counts
                         where candidate = :c and cohort = :co
                        """)
                .bind("c", candidate)
                .bind("co", cohort)
                .map(
                        (rs, c) -> {
                            String id = rs.getString("check_id");
                            if (id.isEmpty()) {
                                whole[0] = rs.getLong("evaluations");
                                whole[1] = rs.getLong("eval_nanos");
                            } else {
                                checks.put(
                                        id,
                                        new RolloutGuards.CheckCounts(
                                                rs.getLong("evaluations"), rs.getLong("errors")));
                            }
                            return id;
                        })
                .list();
        return new RolloutGuards.Cohort(scans[0], scans[1], whole[0], whole[1], checks);
    }

    /**
     * Publishes the scans a rollback queued, once every worker seen in the last {@link #LIVE} holds
     * the rolled-back generation (a scan taken by a worker still applying the dropped version would
     * re-apply it). Without Kafka the queue waits.
     */
    void reevaluate() {
        ScanRequester r = requester;
        if (r == null) {
            return;
        }
        List<String> targets =
                jdbi.inTransaction(
                        h -> {
                            Long gen =
                                    h.createQuery(
                                                    """
                                                    select reeval_generation from rule_rollout
                                                     where cardinality(reeval_targets) > 0
                                                       and not exists (
                                                         select 1 from rule_workers
                                                          where seen_at > now() - make_interval(secs => :live)
                                                            and generation < reeval_generation)
                                                     for update
                                                    """)
                                            .bind("live", (double) LIVE.toSeconds())
                                            .mapTo(Long.class)
                                            .findOne()
                                            .orElse(null);
                            if (gen == null) {
                                return List.<String>of();
                            }
                            List<String> t =
                                    h.createQuery(
                                                    "select unnest(reeval_targets) from"
                                                            + " rule_rollout")
                                            .mapTo(String.class)
                                            .list();
                            h.createUpdate("update rule_rollout set reeval_targets = '{}'")
                                    .execute();
                            RolloutAudit.append(
                                    h,
                                    "rule_set_reevaluated",
                                    GUARD_ACTOR,
                                    Map.of("generation", gen, "targets", t.size()));
                            return t;
                        });
        if (targets.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<ScanRequest> requests = new ArrayList<>();
        for (String id : targets) {
            inventory
                    .find(id)
                    .ifPresent(
                            t ->
                                    requests.add(
                                            ScanRequest.of(
                                                    t, Lane.FAST, ScanReason.ON_DEMAND, now)));
        }
        try {
            r.request(requests);
            log.info("rule rollout: re-evaluating {} targets after a rollback", requests.size());
        } catch (RuntimeException e) {
            log.error(
                    "rule rollout: re-evaluation of {} targets could not be published: {}",
                    requests.size(),
                    e.toString());
            jdbi.useHandle(
                    h ->
                            h.createUpdate(
                                            "update rule_rollout set reeval_targets ="
                                                    + " reeval_targets || :t")
                                    .bind("t", targets.toArray(String[]::new))
                                    .execute());
        }
    }
}
