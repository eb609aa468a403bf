/**
 * Embedded infrastructure: an in-process Kafka broker (KRaft), a Kafka cluster of three brokers in
 * child JVMs (for faults that kill one), and a PostgreSQL server from the binaries shipped as Maven
 * artifacts with, on demand, a streaming-replication standby to fail over to, for {@code demo},
 * {@code chaos} and the integration tests. Nothing to install but a JDK.
 */
@NullMarked
package dev.vigil.embedded;

import org.jspecify.annotations.NullMarked;
