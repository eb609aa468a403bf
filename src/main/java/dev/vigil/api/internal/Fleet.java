package dev.vigil.api.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read across several accounts of one token (the fleet routes): the accounts are already checked
 * against the token, and never empty. The predicate is {@code account_id = any(?)}, which
 * PostgreSQL answers from the indexes led by {@code account_id} and prunes the hash partitions of
 * {@code insights} with.
 *
 * @param accountIds the accounts read, sorted and distinct
 * @param actor the token's name
 */
public record Fleet(List<String> accountIds, String actor) implements Tenancy {

    public Fleet {
        accountIds = accountIds.stream().sorted().distinct().toList();
        if (accountIds.isEmpty()) {
            throw new IllegalArgumentException("a fleet read names at least one account");
        }
    }

    @Override
    public String predicate(String a) {
        return a + ".account_id = any(cast(:scope_accounts as text[]))";
    }

    @Override
    public String accounts() {
        return "select unnest(cast(:scope_accounts as text[])) as account_id";
    }

    @Override
    public Map<String, Object> binds() {
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("scope_accounts", accountIds.toArray(String[]::new));
        return binds;
    }
}
