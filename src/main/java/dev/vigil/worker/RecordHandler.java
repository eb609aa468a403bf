package dev.vigil.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record. Called on a virtual thread; records of one key are handed over one at a
 * time, in offset order, records of different keys concurrently.
 *
 * <p>Contract: returning means the record is done (processed, skipped or dead-lettered) and its
 * offset may be committed. Throwing means it is not: the {@link BatchConsumer} then stops without
 * committing the batch, so the record is consumed again after a restart. Use {@link
 * ResilientHandler} to turn failures into retries and dead letters.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException;
}
