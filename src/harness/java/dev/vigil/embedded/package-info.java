/**
 * Embedded infrastructure: an in-process Kafka broker (KRaft) and a PostgreSQL server from the
 * binaries shipped as Maven artifacts, for {@code demo} and the integration tests. Nothing to
 * install but a JDK.
 */
@NullMarked
package dev.vigil.embedded;

import org.jspecify.annotations.NullMarked;
