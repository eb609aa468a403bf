package dev.vigil.tokens.internal;

import dev.vigil.tokens.TokenGrant;
import dev.vigil.tokens.TokenInfo;
import dev.vigil.tokens.TokenScope;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The statements over {@code api_tokens}, each on the caller's handle, rows mapped by column name.
 * Only a token's SHA-256 (hex) is stored.
 */
public final class TokenSql {

    private static final String COLUMNS =
            "token_id, name, scope, access, account_ids, created_at, expires_at";

    private static final String INSERT =
            """
            insert into api_tokens (token_sha256, name, scope, access, account_ids, expires_at)
            values (:hash, :name, :scope, :access, cast(:accounts as text[]), :expires)
            returning\s"""
                    + COLUMNS;

    private static final String LIST = "select " + COLUMNS + " from api_tokens order by token_id";

    private static final String GRANT =
            """
            select token_sha256, name, scope, access, account_ids, expires_at from api_tokens
            where token_sha256 = :hash and (expires_at is null or expires_at > now())
            """;

    private TokenSql() {}

    /** Stores a token by its hash and answers its description (without the plaintext). */
    public static TokenInfo insert(
            Handle h,
            String hashHex,
            String name,
            TokenScope scope,
            boolean write,
            List<String> accountIds,
            @Nullable Instant expiresAt) {
        return h.createQuery(INSERT)
                .bind("hash", hashHex)
                .bind("name", name)
                .bind("scope", scope.wire())
                .bind("access", write ? "write" : "read")
                .bind("accounts", accountIds.toArray(String[]::new))
                .bind("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .map((rs, ctx) -> info(rs))
                .one();
    }

    /** Every token, oldest first. */
    public static List<TokenInfo> list(Handle h) {
        return h.createQuery(LIST).map((rs, ctx) -> info(rs)).list();
    }

    /** Deletes token {@code id}; false when there is none. */
    public static boolean delete(Handle h, long id) {
        return h.createUpdate("delete from api_tokens where token_id = :id")
                        .bind("id", id)
                        .execute()
                > 0;
    }

    /**
     * The row of the unexpired token hashed {@code hash}: its grant, or no grant when the stored
     * hash differs (compared in constant time, {@link MessageDigest#isEqual}), with its expiry. JDK
     * types only: a record of this feature here broke under the fuzzing agent's coverage
     * instrumentation (NoSuchFieldError in CI's fuzzing pass).
     */
    public static Optional<Map.Entry<Optional<TokenGrant>, Optional<Instant>>> grant(
            Handle h, byte[] hash) {
        return h.createQuery(GRANT)
                .bind("hash", HexFormat.of().formatHex(hash))
                .map((rs, ctx) -> checked(rs, hash))
                .findOne();
    }

    private static Map.Entry<Optional<TokenGrant>, Optional<Instant>> checked(
            ResultSet rs, byte[] hash) throws SQLException {
        byte[] stored = HexFormat.of().parseHex(rs.getString("token_sha256"));
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return Map.entry(
                MessageDigest.isEqual(stored, hash) ? Optional.of(grant(rs)) : Optional.empty(),
                Optional.ofNullable(expires).map(OffsetDateTime::toInstant));
    }

    private static TokenGrant grant(ResultSet rs) throws SQLException {
        return new TokenGrant(
                rs.getString("name"),
                TokenScope.fromWire(rs.getString("scope")),
                "write".equals(rs.getString("access")),
                accounts(rs));
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new TokenInfo(
                rs.getLong("token_id"),
                rs.getString("name"),
                rs.getString("scope"),
                rs.getString("access"),
                accounts(rs),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                expires == null ? null : expires.toInstant(),
                null);
    }

    private static List<String> accounts(ResultSet rs) throws SQLException {
        return List.of((String[]) rs.getArray("account_ids").getArray());
    }
}
