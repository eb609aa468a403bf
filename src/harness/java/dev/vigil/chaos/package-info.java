/**
 * The fault suite ({@code vigil chaos}): the production roles as separate processes on loopback
 * against a three-broker Kafka cluster and PostgreSQL with a standby, killed, restarted and failed
 * over at seeded random moments, then checked for lost scans, duplicate insights, wrong open
 * insights and leftover lag.
 */
@NullMarked
package dev.vigil.chaos;

import org.jspecify.annotations.NullMarked;
