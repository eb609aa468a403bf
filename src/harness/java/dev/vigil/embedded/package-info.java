/**
 * Embedded infrastructure: an in-process Kafka broker (KRaft) and a PostgreSQL server from the
 * binaries shipped as Maven artifacts with, on demand, a streaming-replication standby to fail over
 * to, for {@code demo}, {@code chaos} and the integration tests. Nothing to install but a JDK.
 */
@NullMarked
package dev.vigil.embedded;

import org.jspecify.annotations.NullMarked;
