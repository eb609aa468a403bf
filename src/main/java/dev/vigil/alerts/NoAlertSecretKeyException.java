package dev.vigil.alerts;

/**
 * A destination that must hold a secret (a webhook's signing secret, a Slack URL) cannot be made:
 * the operator configured no {@link SecretBox#KEY}. The API answers it with 503: the request is
 * fine, the server is not set up for it.
 */
public final class NoAlertSecretKeyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NoAlertSecretKeyException(String kind) {
        super(
                "a "
                        + kind
                        + " destination holds a secret, which is stored sealed under the"
                        + " operator's key, and this server has none: set "
                        + SecretBox.KEY.name()
                        + " (base64 of 32 random bytes, `openssl rand -base64 32`) and restart"
                        + " the api role; e-mail destinations need no key");
    }
}
