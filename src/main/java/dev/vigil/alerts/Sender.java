package dev.vigil.alerts;

/**
 * The port that delivers one message to one destination, once, and says how it went. It never
 * throws for a delivery failure (that is an outcome); it blocks its (virtual) thread for at most
 * its own timeout. Implementations are thread-safe.
 */
public interface Sender {

    DeliveryOutcome send(AlertMessage message, Destination destination);
}
