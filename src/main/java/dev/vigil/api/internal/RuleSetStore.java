package dev.vigil.api.internal;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.Rollout;
import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * Rule sets as stored objects and the transitions of their rollout (issue 23): register, shadow,
 * promote, roll back. Each transition runs in one transaction holding the rollout row's lock, bumps
 * the generation the workers apply, and appends to the audit log ({@link RolloutAudit}: no tenant's
 * token reads those entries; the admin route does).
 */
final class RuleSetStore {

    private final Jdbi jdbi;

    RuleSetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored rule set, without its files. */
    record SetInfo(
            String version, String catalogue, int checks, Instant pushedAt, String pushedBy) {}

    /** The answer to a push: the version and whether it was new. */
    record Registered(String version, String catalogue, int checks, boolean created) {}

    /**
     * Stores the catalogue plus {@code files} under its digest (compiled first: a broken rule is
     * refused with its file, line and reason); pushing the same files again changes nothing.
     *
     * @throws dev.vigil.checks.RuleSetException naming the first broken rule
     */
    Registered register(List<RuleFile> files, String by) {
        RuleSet set = RuleSets.withUserFiles(files);
        String catalogue = RuleSets.catalogue().version();
        List<RuleFile> sorted =
                files.stream().sorted(java.util.Comparator.comparing(RuleFile::name)).toList();
        int inserted =
                jdbi.withHandle(
                        h ->
                                h.createUpdate(
                                                """
                                                insert into rule_sets
                                                    (version, catalogue, files, checks, pushed_by)
                                                values (:v, :c, cast(:f as jsonb), :n, :by)
                                                on conflict (version) do nothing
                                                """)
                                        .bind("v", set.version())
                                        .bind("c", catalogue)
                                        .bind(
                                                "f",
                                                new String(
                                                        Json.bytes(sorted), StandardCharsets.UTF_8))
                                        .bind("n", set.checks().size())
                                        .bind("by", by)
                                        .execute());
        if (inserted == 1) {
            jdbi.useHandle(
                    h ->
                            RolloutAudit.append(
                                    h,
                                    "rule_set_pushed",
                                    by,
                                    Map.of(
                                            "version",
                                            set.version(),
                                            "checks",
                                            set.checks().size())));
        }
        return new Registered(set.version(), catalogue, set.checks().size(), inserted == 1);
    }

    /** The user files of {@code version}, empty when no such version was pushed. */
    Optional<List<RuleFile>> files(String version) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select files::text from rule_sets where version = :v")
                                .bind("v", version)
                                .mapTo(String.class)
                                .findOne()
                                .map(
                                        text ->
                                                Json.MAPPER.readValue(
                                                        text,
                                                        new TypeReference<List<RuleFile>>() {})));
    }

    List<SetInfo> list() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select version, catalogue, checks, pushed_at, pushed_by"
                                                + " from rule_sets order by pushed_at, version")
                                .map(
                                        (rs, c) ->
                                                new SetInfo(
                                                        rs.getString("version"),
                                                        rs.getString("catalogue"),
                                                        rs.getInt("checks"),
                                                        rs.getObject(
                                                                        "pushed_at",
                                                                        java.time.OffsetDateTime
                                                                                .class)
                                                                .toInstant(),
                                                        rs.getString("pushed_by")))
                                .list());
    }

    RolloutState state() {
        return jdbi.withHandle(h -> state(h, false));
    }

    static RolloutState state(Handle h, boolean lock) {
        return h.createQuery(
                        "select "
                                + RolloutState.COLUMNS
                                + " from rule_rollout"
                                + (lock ? " for update" : ""))
                .map((rs, c) -> RolloutState.map(rs))
                .one();
    }

    /** Makes {@code version} the candidate in shadow. */
    RolloutState shadow(String version, String by) {
        return jdbi.inTransaction(
                h -> {
                    RolloutState s = state(h, true);
                    known(h, version);
                    if (s.active() == null) {
                        throw conflict(
                                "no version is active yet, so there is nothing to shadow against:"
                                        + " make one active first with 'vigil rules promote"
                                        + " --percent 100 "
                                        + version
                                        + "'");
                    }
                    if (version.equals(s.active())) {
                        throw conflict("version " + version + " is the active version already");
                    }
                    if ("canary".equals(s.stage())) {
                        throw conflict(
                                "candidate "
                                        + s.candidate()
                                        + " is in a "
                                        + s.percent()
                                        + " % canary: promote it to 100 or roll it back first");
                    }
                    h.createUpdate(
                                    """
                                    update rule_rollout set generation = generation + 1,
                                        candidate = :v, stage = 'shadow', percent = 0,
                                        stage_since = now(), retired = '{}'
                                    """)
                            .bind("v", version)
                            .execute();
                    h.createUpdate("delete from rule_shadow_counts where candidate = :v")
                            .bind("v", version)
                            .execute();
                    h.createUpdate("delete from rule_shadow_examples where candidate = :v")
                            .bind("v", version)
                            .execute();
                    RolloutAudit.append(h, "rule_set_shadowed", by, Map.of("version", version));
                    return state(h, false);
                });
    }

    /**
     * Promotes {@code version} to {@code percent} of the targets under {@code guards}: 100 makes it
     * the active version (the old one is kept as the rollback's target); a version that is not the
     * candidate may be made active only while none is.
     */
    RolloutState promote(String version, int percent, RolloutGuards guards, String by) {
        return jdbi.inTransaction(
                h -> {
                    RolloutState s = state(h, true);
                    known(h, version);
                    if (!Rollout.SHARES.contains(percent)) {
                        throw ApiProblem.badRequest(
                                "percent", "percent must be 1, 10, 50 or 100, got " + percent);
                    }
                    boolean first = s.active() == null;
                    if (!first && !version.equals(s.candidate())) {
                        throw conflict(
                                "version "
                                        + version
                                        + " is not the candidate ("
                                        + (s.candidate() == null ? "there is none" : s.candidate())
                                        + "): put it in shadow first with 'vigil rules shadow "
                                        + version
                                        + "'");
                    }
                    if (first && percent != 100) {
                        throw conflict(
                                "no version is active yet: the first one is made active with"
                                        + " --percent 100");
                    }
                    if (percent == 100) {
                        h.createUpdate(
                                        """
                                        update rule_rollout set generation = generation + 1,
                                            previous = active, active = :v, candidate = null,
                                            stage = 'none', percent = 0, stage_since = now(),
                                            retired = '{}'
                                        """)
                                .bind("v", version)
                                .execute();
                    } else {
                        h.createUpdate(
                                        """
                                        update rule_rollout set generation = generation + 1,
                                            stage_since = case when stage = 'canary'
                                                then stage_since else now() end,
                                            stage = 'canary', percent = :p,
                                            guard_min_targets = :min, guard_error_rate = :err,
                                            guard_opened = :opened, guard_eval_ratio = :eval,
                                            guard_checked_at = '-infinity'
                                        """)
                                .bind("p", percent)
                                .bind("min", guards.minTargets())
                                .bind("err", guards.maxErrorRate())
                                .bind("opened", guards.maxOpened())
                                .bind("eval", guards.maxEvalRatio())
                                .execute();
                    }
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("version", version);
                    detail.put("percent", percent);
                    detail.put("previous", s.active() == null ? "" : s.active());
                    detail.put("guards", guards);
                    RolloutAudit.append(h, "rule_set_promoted", by, detail);
                    return state(h, false);
                });
    }

    /**
     * Rolls back: the candidate is dropped (shadow or canary), or else a completed promotion
     * returns to the previous version. The targets the dropped version's results were applied to
     * are queued for re-evaluation, and its checks the restored version lacks are retired (full
     * scans resolve their insights).
     *
     * @param reason recorded in the audit log
     * @param onlyCandidate when not null, roll back only while this version is still the candidate
     *     (a guard's verdict is about the canary it measured; if an operator promoted or rolled
     *     back meanwhile, it changes nothing)
     */
    RolloutState rollback(String reason, String by, @Nullable String onlyCandidate) {
        return jdbi.inTransaction(
                h -> {
                    RolloutState s = state(h, true);
                    if (onlyCandidate != null && !onlyCandidate.equals(s.candidate())) {
                        return s;
                    }
                    String dropped;
                    String restored;
                    if (s.candidate() != null) {
                        dropped = s.candidate();
                        restored = java.util.Objects.requireNonNull(s.active());
                    } else if (s.previous() != null && s.active() != null) {
                        dropped = s.active();
                        restored = s.previous();
                    } else {
                        throw conflict(
                                "nothing to roll back: no candidate and no previous version");
                    }
                    List<String> targets =
                            "shadow".equals(s.stage())
                                    ? List.of()
                                    : h.createQuery(
                                                    """
                                                    select distinct target_id from scans
                                                     where rule_set_version = :v
                                                       and applied_at >= :since
                                                       and write_path <> 'superseded'
                                                    """)
                                            .bind("v", dropped)
                                            .bind(
                                                    "since",
                                                    s.candidate() != null
                                                            ? s.stageSince()
                                                            : Instant.EPOCH)
                                            .mapTo(String.class)
                                            .list();
                    Set<String> retired = new TreeSet<>(checks(dropped));
                    retired.removeAll(checks(restored));
                    h.createUpdate(
                                    """
                                    update rule_rollout set generation = generation + 1,
                                        active = :restored,
                                        previous = case when candidate is null then null
                                            else previous end,
                                        candidate = null, stage = 'none', percent = 0,
                                        stage_since = now(), retired = :retired,
                                        reeval_targets = :targets,
                                        reeval_generation = generation + 1,
                                        rollbacks = rollbacks + 1
                                    """)
                            .bind("restored", restored)
                            .bind("retired", retired.toArray(String[]::new))
                            .bind("targets", targets.toArray(String[]::new))
                            .execute();
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("version", dropped);
                    detail.put("restored", restored);
                    detail.put("reason", reason);
                    detail.put("targets_to_reevaluate", targets.size());
                    detail.put("retired_checks", List.copyOf(retired));
                    RolloutAudit.append(h, "rule_set_rolled_back", by, detail);
                    return state(h, false);
                });
    }

    /** The check ids of a stored version (compiled: the catalogue plus its files). */
    private List<String> checks(String version) {
        List<RuleFile> f =
                files(version)
                        .orElseThrow(() -> new IllegalStateException("no rule set " + version));
        List<String> out = new ArrayList<>();
        for (CheckDefinition d : RuleSets.withUserFiles(f).checks()) {
            out.add(d.id());
        }
        return out;
    }

    private static void known(Handle h, String version) {
        boolean exists =
                h.createQuery("select count(*) from rule_sets where version = :v")
                                .bind("v", version)
                                .mapTo(Long.class)
                                .one()
                        > 0;
        if (!exists) {
            throw new ApiProblem(
                    404,
                    "Not found",
                    "no rule set with version '" + version + "' was pushed (see GET /v1/rule-sets)",
                    "version");
        }
    }

    static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail, null);
    }
}
