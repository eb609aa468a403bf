package dev.vigil.checks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One generation of the rule rollout as every worker applies it: the active rule set, the candidate
 * (if any) and its stage, and the canary share. Immutable; a worker swaps the whole record when the
 * API hands it a new generation.
 *
 * <p>Which version a target gets depends only on the target's id, the candidate's version and the
 * share ({@link #bucket}): every worker, including one that joined or restarted mid-rollout,
 * applies the same version to the same target once it holds the same generation. Raising the share
 * keeps the targets already in the canary (a target in the 1 % is in the 10 %).
 *
 * @param generation the API's counter of rollout changes; workers report the one they hold
 * @param active the version applied to every target outside the canary
 * @param candidate the version under evaluation, null at {@link RolloutStage#NONE}
 * @param candidateShadow the candidate as shadow evaluation runs it: the same checks, not counted
 *     in the per-check statistics of the sets in force (null exactly when {@code candidate} is)
 * @param stage where the candidate stands
 * @param percent the canary share, 0 unless {@link RolloutStage#CANARY}
 * @param retired checks of a rolled-back candidate the active version lacks: a full scan reports
 *     them as evaluated, so their insights resolve (the active version says nothing of them)
 */
public record Rollout(
        long generation,
        RuleSet active,
        @Nullable RuleSet candidate,
        @Nullable RuleSet candidateShadow,
        RolloutStage stage,
        int percent,
        Set<String> retired) {

    /** The canary shares a promotion may pick. */
    public static final Set<Integer> SHARES = Set.of(1, 10, 50, 100);

    public Rollout {
        retired = Set.copyOf(retired);
        if ((candidate == null) != (stage == RolloutStage.NONE)) {
            throw new IllegalArgumentException(
                    "a candidate is needed exactly at stage shadow or canary, got stage "
                            + stage.wire()
                            + (candidate == null ? " without one" : " with " + candidate));
        }
        if ((candidate == null) != (candidateShadow == null)) {
            throw new IllegalArgumentException("the candidate and its shadow come together");
        }
        if (stage == RolloutStage.CANARY ? !SHARES.contains(percent) : percent != 0) {
            throw new IllegalArgumentException(
                    "canary share " + percent + " % at stage " + stage.wire());
        }
    }

    /** Only {@code active}, no candidate. */
    public static Rollout of(long generation, RuleSet active) {
        return new Rollout(generation, active, null, null, RolloutStage.NONE, 0, Set.of());
    }

    /** Whether the candidate's results are applied to {@code targetId}. */
    public boolean canary(String targetId) {
        RuleSet c = candidate;
        return stage == RolloutStage.CANARY && c != null && bucket(targetId, c.version()) < percent;
    }

    /** The version whose results are applied to {@code targetId}. */
    public RuleSet forTarget(String targetId) {
        RuleSet c = candidate;
        return c != null && canary(targetId) ? c : active;
    }

    /**
     * The version evaluated beside the applied one for {@code targetId}, only counted: the
     * candidate for every target outside the canary, null without a candidate.
     */
    public @Nullable RuleSet shadowFor(String targetId) {
        return canary(targetId) ? null : candidateShadow;
    }

    /**
     * The target's bucket, 0 to 99, for {@code version}: the first four bytes of SHA-256 over the
     * target id, a NUL and the version, modulo 100. Stable across processes and restarts; a new
     * candidate version draws a new canary.
     */
    public static int bucket(String targetId, String version) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        sha.update(targetId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] d = sha.digest(version.getBytes(StandardCharsets.UTF_8));
        long v =
                ((d[0] & 0xffL) << 24)
                        | ((d[1] & 0xffL) << 16)
                        | ((d[2] & 0xffL) << 8)
                        | (d[3] & 0xffL);
        return (int) (v % 100);
    }
}
