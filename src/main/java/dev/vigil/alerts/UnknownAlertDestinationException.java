package dev.vigil.alerts;

/**
 * A rule names a destination its account does not have: absent, or another account's (the two read
 * the same, so nothing of another tenant is revealed). The API answers it with 404 naming {@code
 * destination_id}.
 */
public final class UnknownAlertDestinationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnknownAlertDestinationException(String accountId, long destinationId) {
        super(
                "account '"
                        + accountId
                        + "' has no alert destination "
                        + destinationId
                        + " (GET /v1/accounts/"
                        + accountId
                        + "/alerting/destinations lists them)");
    }
}
