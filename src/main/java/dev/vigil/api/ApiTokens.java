package dev.vigil.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * API tokens. A token is 32 random bytes (base64url, prefixed {@code vgl_}); only its SHA-256 is
 * stored, so a leaked table grants nothing, and the plaintext is returned once, at issue.
 *
 * <p>Thread-safe.
 */
public final class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    private ApiTokens(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static ApiTokens create(DataSource dataSource) {
        return new ApiTokens(Jdbi.create(dataSource));
    }

    /** Issues a service token (internal API, all accounts); returns its plaintext. */
    public String issueService(String name) {
        return issue(name, "service", List.of());
    }

    /**
     * Issues a token that may read only {@code accountIds}; returns its plaintext.
     *
     * @throws IllegalArgumentException when {@code accountIds} is empty
     */
    public String issueForAccounts(String name, List<String> accountIds) {
        if (accountIds.isEmpty()) {
            throw new IllegalArgumentException(
                    "token '" + name + "' must be scoped to at least one account");
        }
        return issue(name, "accounts", accountIds);
    }

    private String issue(String name, String scope, List<String> accountIds) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "vgl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        jdbi.useHandle(
                h ->
                        h.createUpdate(
                                        "insert into api_tokens (token_sha256, name, scope,"
                                                + " account_ids) values (:hash, :name, :scope,"
                                                + " cast(:accounts as text[]))")
                                .bind("hash", HexFormat.of().formatHex(sha256(token)))
                                .bind("name", name)
                                .bind("scope", scope)
                                .bind("accounts", accountIds.toArray(String[]::new))
                                .execute());
        return token;
    }

    /**
     * The grant of {@code token}, or empty when it is unknown or expired. The stored hash is
     * compared with {@link MessageDigest#isEqual} (constant time) after the lookup.
     */
    public Optional<TokenGrant> authenticate(String token) {
        byte[] hash = sha256(token);
        String hex = HexFormat.of().formatHex(hash);
        record Row(byte[] stored, TokenGrant grant) {}
        return jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select token_sha256, name, scope, account_ids"
                                                        + " from api_tokens where token_sha256 ="
                                                        + " :hash and (expires_at is null or"
                                                        + " expires_at > now())")
                                        .bind("hash", hex)
                                        .map(
                                                (rs, ctx) ->
                                                        new Row(
                                                                HexFormat.of()
                                                                        .parseHex(
                                                                                rs.getString(
                                                                                        "token_sha256")),
                                                                new TokenGrant(
                                                                        rs.getString("name"),
                                                                        "service"
                                                                                .equals(
                                                                                        rs
                                                                                                .getString(
                                                                                                        "scope")),
                                                                        List.of(
                                                                                (String[])
                                                                                        rs.getArray(
                                                                                                        "account_ids")
                                                                                                .getArray()))))
                                        .findOne())
                .filter(r -> MessageDigest.isEqual(r.stored(), hash))
                .map(Row::grant);
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
