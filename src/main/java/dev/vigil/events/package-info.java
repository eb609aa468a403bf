/**
 * Events: the topics, the scan-request message and its Avro single-object encoding, the headers
 * that travel with it (lane, trace context), and the producer and consumer settings.
 */
@NullMarked
package dev.vigil.events;

import org.jspecify.annotations.NullMarked;
