/**
 * Telemetry: the management HTTP endpoint of every role (Prometheus metrics, liveness, readiness),
 * the meter registry the roles bind their counters to, and tracing ({@link
 * dev.vigil.telemetry.Tracing}: spans, W3C trace context over Kafka headers and HTTP, trace ids in
 * the logging MDC).
 */
@NullMarked
package dev.vigil.telemetry;

import org.jspecify.annotations.NullMarked;
