package dev.vigil.tokens;

import java.util.List;

/**
 * What a valid API token may do.
 *
 * @param name the token's name, recorded as the actor of the changes it makes
 * @param scope service, accounts or admin
 * @param write whether it may change data (dismiss, classify); read tokens get 403 on such routes.
 *     Only an account token's flag counts: a service token reads and calls the internal API, and an
 *     admin token manages tokens and the inventory; neither changes a tenant's data, whatever the
 *     flag stored with it says (service tokens were issued as {@code write} before that rule)
 * @param accountIds the accounts an account token may see; empty for service and admin tokens
 */
public record TokenGrant(String name, TokenScope scope, boolean write, List<String> accountIds) {

    public TokenGrant {
        accountIds = List.copyOf(accountIds);
    }

    /** A write token, service-scoped when {@code service}, else scoped to {@code accountIds}. */
    public TokenGrant(String name, boolean service, List<String> accountIds) {
        this(name, service ? TokenScope.SERVICE : TokenScope.ACCOUNTS, true, accountIds);
    }

    /** Whether this is a service token (workers). */
    public boolean service() {
        return scope == TokenScope.SERVICE;
    }

    /** Whether this token manages tokens. */
    public boolean admin() {
        return scope == TokenScope.ADMIN;
    }

    /** Whether this token may read the data of {@code accountId}. */
    public boolean mayRead(String accountId) {
        return switch (scope) {
            case SERVICE -> true;
            case ACCOUNTS -> accountIds.contains(accountId);
            case ADMIN -> false;
        };
    }

    /**
     * Whether this token may change the data of {@code accountId} (dismiss, classify, request
     * scans, push configurations): only a write token of the accounts it lists.
     */
    public boolean mayWrite(String accountId) {
        return switch (scope) {
            case ACCOUNTS -> write && accountIds.contains(accountId);
            case SERVICE, ADMIN -> false;
        };
    }
}
