package dev.vigil.tokens;

import dev.vigil.tokens.internal.GrantCache;
import dev.vigil.tokens.internal.TokenSql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * API tokens. A token is 32 random bytes (base64url, prefixed {@code vgl_}); only its SHA-256 is
 * stored, so a leaked table grants nothing, and the plaintext is returned once, at issue.
 *
 * <p>{@link #authenticate} caches grants for {@link #GRANT_TTL} (see {@link GrantCache}): a token
 * revoked here is refused at once, one revoked through another process within that time.
 *
 * <p>Thread-safe.
 */
public final class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How long a grant is reused without asking PostgreSQL: long enough that a worker's results
     * calls skip the lookup, short enough that a revocation elsewhere takes effect promptly.
     */
    public static final Duration GRANT_TTL = Duration.ofSeconds(5);

    private final Jdbi jdbi;
    private final GrantCache grants;

    private ApiTokens(Jdbi jdbi, GrantCache grants) {
        this.jdbi = jdbi;
        this.grants = grants;
    }

    public static ApiTokens create(DataSource dataSource) {
        return new ApiTokens(Jdbi.create(dataSource), GrantCache.of(GRANT_TTL, Instant::now));
    }

    /** Issues a service token (internal API, all accounts, write); returns its plaintext. */
    public String issueService(String name) {
        return issue(name, TokenScope.SERVICE, true, List.of(), null).plaintext();
    }

    /** Issues an admin token (manages tokens, reads no tenant data); returns its plaintext. */
    public String issueAdmin(String name) {
        return issue(name, TokenScope.ADMIN, true, List.of(), null).plaintext();
    }

    /**
     * Issues a write token scoped to {@code accountIds}; returns its plaintext.
     *
     * @throws IllegalArgumentException when {@code accountIds} is empty
     */
    public String issueForAccounts(String name, List<String> accountIds) {
        return issueForAccounts(name, accountIds, true);
    }

    /**
     * Issues a token scoped to {@code accountIds}, read-only unless {@code write}; returns its
     * plaintext.
     *
     * @throws IllegalArgumentException when {@code accountIds} is empty
     */
    public String issueForAccounts(String name, List<String> accountIds, boolean write) {
        return issue(name, TokenScope.ACCOUNTS, write, accountIds, null).plaintext();
    }

    /**
     * Issues a token and returns its description with the plaintext (the only time it is known).
     *
     * @throws IllegalArgumentException when an account token lists no account, or another lists
     *     some
     */
    public TokenInfo issue(
            String name,
            TokenScope scope,
            boolean write,
            List<String> accountIds,
            @Nullable Instant expiresAt) {
        if (scope == TokenScope.ACCOUNTS && accountIds.isEmpty()) {
            throw new IllegalArgumentException(
                    "token '" + name + "' must be scoped to at least one account");
        }
        if (scope != TokenScope.ACCOUNTS && !accountIds.isEmpty()) {
            throw new IllegalArgumentException(
                    "token '" + name + "' of scope " + scope.wire() + " may not list accounts");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "vgl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = HexFormat.of().formatHex(sha256(token));
        TokenInfo info =
                jdbi.withHandle(
                        h -> TokenSql.insert(h, hash, name, scope, write, accountIds, expiresAt));
        return info.withToken(token);
    }

    /** Every token, oldest first, without secrets. */
    public List<TokenInfo> list() {
        return jdbi.withHandle(TokenSql::list);
    }

    /** Revokes (deletes) token {@code id}; false when there is none. */
    public boolean revoke(long id) {
        boolean revoked = jdbi.withHandle(h -> TokenSql.delete(h, id));
        grants.clear();
        return revoked;
    }

    /**
     * The grant of {@code token}, or empty when it is unknown or expired. The stored hash is
     * compared with {@link MessageDigest#isEqual} (constant time) after the lookup. Grants are
     * reused for {@link #GRANT_TTL} (never past the token's expiry).
     */
    public Optional<TokenGrant> authenticate(String token) {
        byte[] hash = sha256(token);
        String hex = HexFormat.of().formatHex(hash);
        TokenGrant cached = grants.get(hex);
        if (cached != null) {
            return Optional.of(cached);
        }
        long generation = grants.generation();
        Optional<Map.Entry<Optional<TokenGrant>, Optional<Instant>>> row =
                jdbi.withHandle(h -> TokenSql.grant(h, hash));
        Optional<TokenGrant> grant = row.flatMap(Map.Entry::getKey);
        grant.ifPresent(g -> grants.put(hex, g, row.get().getValue().orElse(null), generation));
        return grant;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
