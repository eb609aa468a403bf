package dev.vigil.api.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The shadow diff of a candidate rule set (issue 23): what the workers' shadow evaluations found it
 * would open and resolve compared to the applied version, summed over every report since the
 * candidate entered shadow ({@code rule_shadow_counts}), with a few example targets per check and
 * change ({@code rule_shadow_examples}).
 */
final class ShadowDiffs {

    private final Jdbi jdbi;
    private final RuleSetStore store;

    ShadowDiffs(Jdbi jdbi, RuleSetStore store) {
        this.jdbi = jdbi;
        this.store = store;
    }

    /** A check's shadow counts, with example targets. */
    record DiffCheck(
            String checkId,
            long scans,
            long wouldOpen,
            long wouldResolve,
            List<DiffExample> examples) {}

    /** A target whose insights the candidate would change. */
    record DiffExample(String change, String targetId, String resourceKey) {}

    /**
     * What the candidate would change, summed over every worker's shadow scans so far.
     *
     * @param scans shadow-evaluated scans
     * @param checks the checks whose findings would change, most changes first
     */
    record Diff(
            String candidate,
            @Nullable String active,
            long scans,
            long wouldOpen,
            long wouldResolve,
            List<DiffCheck> checks) {}

    Diff diff(String candidate) {
        RolloutState s = store.state();
        return jdbi.withHandle(
                h -> {
                    Map<String, List<DiffExample>> examples = new HashMap<>();
                    h.createQuery(
                                    """
                                    select check_id, change, target_id, resource_key
                                      from rule_shadow_examples where candidate = :c
                                     order by check_id, change, seen_at, target_id
                                    """)
                            .bind("c", candidate)
                            .map(
                                    (rs, c) ->
                                            examples.computeIfAbsent(
                                                            rs.getString("check_id"),
                                                            k -> new ArrayList<>())
                                                    .add(
                                                            new DiffExample(
                                                                    rs.getString("change"),
                                                                    rs.getString("target_id"),
                                                                    rs.getString("resource_key"))))
                            .list();
                    long[] whole = new long[3];
                    List<DiffCheck> checks = new ArrayList<>();
                    h.createQuery(
                                    """
                                    select check_id, scans, would_open, would_resolve
                                      from rule_shadow_counts where candidate = :c
                                     order by would_open + would_resolve desc, check_id
                                    """)
                            .bind("c", candidate)
                            .map(
                                    (rs, c) -> {
                                        String id = rs.getString("check_id");
                                        long n = rs.getLong("scans");
                                        long o = rs.getLong("would_open");
                                        long r = rs.getLong("would_resolve");
                                        if (id.isEmpty()) {
                                            whole[0] = n;
                                            whole[1] = o;
                                            whole[2] = r;
                                        } else if (o + r > 0) {
                                            checks.add(
                                                    new DiffCheck(
                                                            id,
                                                            n,
                                                            o,
                                                            r,
                                                            examples.getOrDefault(id, List.of())));
                                        }
                                        return id;
                                    })
                            .list();
                    return new Diff(candidate, s.active(), whole[0], whole[1], whole[2], checks);
                });
    }
}
