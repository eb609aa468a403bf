/**
 * Telemetry: the management HTTP endpoint of every role (Prometheus metrics, liveness, readiness)
 * and the meter registry the roles bind their counters to.
 */
@NullMarked
package dev.vigil.telemetry;

import org.jspecify.annotations.NullMarked;
