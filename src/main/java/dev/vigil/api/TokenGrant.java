package dev.vigil.api;

import java.util.List;

/**
 * What a valid API token may do.
 *
 * @param service true for a service token (workers: the internal API, and every account)
 * @param accountIds the accounts an account token may read; empty for a service token
 */
public record TokenGrant(String name, boolean service, List<String> accountIds) {

    public TokenGrant {
        accountIds = List.copyOf(accountIds);
    }

    /** Whether this token may read the data of {@code accountId}. */
    public boolean mayRead(String accountId) {
        return service || accountIds.contains(accountId);
    }
}
