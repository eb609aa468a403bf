package dev.vigil.inventory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One scan target. An account target has {@code targetId == accountId} and no zone; a zone target
 * has {@code targetId == zoneId}.
 */
public record Target(
        String targetId,
        TargetKind kind,
        String accountId,
        @Nullable String zoneId,
        String name,
        Plan plan) {

    public Target {
        Objects.requireNonNull(targetId, "targetId");
        switch (kind) {
            case ACCOUNT -> {
                if (zoneId != null || !targetId.equals(accountId)) {
                    throw new IllegalArgumentException(
                            "account target "
                                    + targetId
                                    + " must have targetId == accountId and no zone");
                }
            }
            case ZONE -> {
                if (zoneId == null || !targetId.equals(zoneId)) {
                    throw new IllegalArgumentException(
                            "zone target " + targetId + " must have targetId == zoneId");
                }
            }
        }
    }

    public static Target account(String accountId, String name, Plan plan) {
        return new Target(accountId, TargetKind.ACCOUNT, accountId, null, name, plan);
    }

    public static Target zone(String zoneId, String accountId, String name, Plan plan) {
        return new Target(zoneId, TargetKind.ZONE, accountId, zoneId, name, plan);
    }
}
