/**
 * Workers: the batch-parallel, key-ordered Kafka consumer, the fast and slow lanes, retries and
 * dead letters, and the execution of one scan (fetch the configuration, evaluate the checks, send
 * the result).
 */
@NullMarked
package dev.vigil.worker;

import org.jspecify.annotations.NullMarked;
