package dev.vigil.tokens;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A token as listed to an admin: everything but its secret (which is never stored).
 *
 * @param token the plaintext, set only in the answer to the call that issued it, else null
 */
public record TokenInfo(
        long id,
        String name,
        String scope,
        String access,
        List<String> accountIds,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable String token) {

    public TokenInfo {
        accountIds = List.copyOf(accountIds);
    }

    /**
     * The plaintext of a token just issued.
     *
     * @throws IllegalStateException on an info read back from the store, which has none
     */
    public String plaintext() {
        if (token == null) {
            throw new IllegalStateException(
                    "token "
                            + id
                            + " has no plaintext: it is known only in the answer to its issue");
        }
        return token;
    }

    /** This info with the plaintext of a token just issued. */
    public TokenInfo withToken(String plaintext) {
        return new TokenInfo(id, name, scope, access, accountIds, createdAt, expiresAt, plaintext);
    }
}
