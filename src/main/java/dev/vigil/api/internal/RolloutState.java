package dev.vigil.api.internal;

import dev.vigil.checks.RolloutStage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rollout row ({@code rule_rollout}), as the admin routes show it and the workers apply it.
 *
 * @param generation counts every change; workers report which they hold
 * @param active the version applied outside the canary; null while nothing was made active
 * @param previous what a rollback of a completed promotion returns to
 * @param candidate the version in shadow or canary
 * @param percent the canary share, 0 outside the canary
 * @param stageSince when the candidate entered its stage (the canary's counts start there)
 * @param retired checks of a rolled-back candidate that full scans resolve
 * @param pendingReevaluation targets a rollback still has to re-evaluate
 */
record RolloutState(
        long generation,
        @Nullable String active,
        @Nullable String previous,
        @Nullable String candidate,
        String stage,
        int percent,
        Instant stageSince,
        RolloutGuards guards,
        List<String> retired,
        int pendingReevaluation,
        long rollbacks) {

    static final String COLUMNS =
            "generation, active, previous, candidate, stage, percent, stage_since,"
                    + " guard_min_targets, guard_error_rate, guard_opened, guard_eval_ratio,"
                    + " retired, cardinality(reeval_targets) as pending, rollbacks";

    static RolloutState map(ResultSet rs) throws SQLException {
        java.sql.Array retired = rs.getArray("retired");
        return new RolloutState(
                rs.getLong("generation"),
                rs.getString("active"),
                rs.getString("previous"),
                rs.getString("candidate"),
                rs.getString("stage"),
                rs.getInt("percent"),
                rs.getObject("stage_since", java.time.OffsetDateTime.class).toInstant(),
                new RolloutGuards(
                        rs.getInt("guard_min_targets"),
                        rs.getDouble("guard_error_rate"),
                        rs.getDouble("guard_opened"),
                        rs.getDouble("guard_eval_ratio")),
                Arrays.asList((String[]) retired.getArray()),
                rs.getInt("pending"),
                rs.getLong("rollbacks"));
    }

    RolloutStage rolloutStage() {
        return RolloutStage.parse(stage);
    }

    /** What a worker applies: the sync route's answer. */
    record ForWorkers(
            long generation,
            @Nullable String active,
            @Nullable String candidate,
            String stage,
            int percent,
            List<String> retired) {}

    ForWorkers forWorkers() {
        return new ForWorkers(generation, active, candidate, stage, percent, retired);
    }
}
