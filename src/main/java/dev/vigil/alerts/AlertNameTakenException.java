package dev.vigil.alerts;

/**
 * A destination or rule name already used by another of the same account (names are unique per
 * account so a person can tell them apart). The API answers it with 409 naming {@code name}.
 */
public final class AlertNameTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AlertNameTakenException(String what, String accountId, String name) {
        super(
                "account '"
                        + accountId
                        + "' already has a "
                        + what
                        + " named '"
                        + name
                        + "': pick another name, or change that one");
    }
}
