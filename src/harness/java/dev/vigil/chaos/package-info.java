/**
 * The fault suite ({@code vigil chaos}): the production roles as separate processes on loopback
 * against embedded Kafka and PostgreSQL, killed and restarted at seeded random moments, then
 * checked for lost scans, duplicate insights, wrong open insights and leftover lag.
 */
@NullMarked
package dev.vigil.chaos;

import org.jspecify.annotations.NullMarked;
