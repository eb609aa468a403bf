package dev.vigil.alerts;

import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets Vigil must be able to read back (a webhook's signing secret, a Slack webhook
 * URL) with AES-256-GCM under the operator's key, so the database alone never reveals them. A
 * sealed value is {@code version (1) || nonce (12) || ciphertext and tag}; the account id is the
 * associated data, so a sealed secret copied to another account's row does not open.
 *
 * <p>Thread-safe: each call makes its own cipher.
 */
public final class SecretBox {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The operator's key; empty means none, and no destination with a secret can be made. */
    public static final Setting<String> KEY =
            Setting.secret(
                    "VIGIL_ALERT_SECRET_KEY",
                    "",
                    "base64 of 32 random bytes (`openssl rand -base64 32`) sealing the alert"
                            + " destinations' secrets in the database; keep it stable: a new key"
                            + " cannot open what the old one sealed");

    private final SecretKey key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A box with the key given as base64 of 32 bytes (as {@code VIGIL_ALERT_SECRET_KEY} holds it;
     * make one with {@code openssl rand -base64 32}).
     *
     * @throws IllegalArgumentException if it is not base64 of exactly 32 bytes
     */
    public static SecretBox ofBase64(String key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the alert secret key is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(
                    "the alert secret key must be 32 bytes (base64 of 32 random bytes, e.g."
                            + " `openssl rand -base64 32`), not "
                            + raw.length);
        }
        return new SecretBox(raw);
    }

    /** The box of {@link #KEY}, or empty when the setting is empty. */
    public static Optional<SecretBox> from(Env env) {
        String key = env.get(KEY);
        return key.isBlank() ? Optional.empty() : Optional.of(ofBase64(key));
    }

    /** A box with a fresh random key, for a demo or a test whose database lives as long as it. */
    public static SecretBox random() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return new SecretBox(raw);
    }

    /** The sealed form of {@code secret}, bound to {@code accountId}. */
    public byte[] seal(String accountId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, accountId);
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e, e);
        }
    }

    /**
     * The secret {@code sealed} holds.
     *
     * @throws IllegalArgumentException if it was sealed under another key or account, or altered
     */
    public String open(String accountId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalArgumentException("not a sealed secret of this version");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, accountId);
            byte[] plain = c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "a sealed secret does not open: sealed under another VIGIL_ALERT_SECRET_KEY,"
                            + " for another account, or altered",
                    e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String accountId)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(accountId.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key ****]";
    }
}
