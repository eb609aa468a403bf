package dev.vigil.events;

/**
 * A message cannot be decoded: not Avro single-object encoding, an unknown schema fingerprint, or
 * fields that make no sense. Permanent: retrying never helps, the message goes to the dead-letter
 * topic.
 */
public final class UndecodableMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UndecodableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
