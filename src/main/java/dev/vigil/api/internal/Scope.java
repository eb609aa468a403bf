package dev.vigil.api.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tenant slice a request works on, already checked against its token: an account, or one zone
 * of it. Every query binds {@code account_id} (the tenant boundary and partition key) and, for a
 * zone, {@code zone_id}.
 *
 * @param write whether the token may change data in this scope
 */
public record Scope(String accountId, @Nullable String zoneId, String actor, boolean write)
        implements Tenancy {

    /** The SQL predicate of this scope on an insights or audit alias {@code a}. */
    @Override
    public String predicate(String a) {
        return a
                + ".account_id = :scope_account"
                + (zoneId == null ? "" : " and " + a + ".zone_id = :scope_zone");
    }

    @Override
    public String accounts() {
        return "select cast(:scope_account as text) as account_id";
    }

    @Override
    public Map<String, Object> binds() {
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("scope_account", accountId);
        if (zoneId != null) {
            binds.put("scope_zone", zoneId);
        }
        return binds;
    }
}
