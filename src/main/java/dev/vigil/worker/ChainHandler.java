package dev.vigil.worker;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes the records of one key in one polled batch, in offset order. Called on a virtual
 * thread; chains of different keys run concurrently. A handler that sees the whole chain may fold
 * records into one piece of work ({@link ChangeChains} evaluates a target's newest version once
 * instead of each version in turn).
 *
 * <p>Contract: as {@link RecordHandler}'s, for every record of the chain at once: returning means
 * each is done; throwing means none may be committed.
 */
@FunctionalInterface
public interface ChainHandler {
    void handle(List<ConsumerRecord<String, byte[]>> chain) throws InterruptedException;

    /** Hands the chain's records to {@code handler} one at a time, in order. */
    static ChainHandler each(RecordHandler handler) {
        return chain -> {
            for (ConsumerRecord<String, byte[]> r : chain) {
                handler.handle(r);
            }
        };
    }
}
