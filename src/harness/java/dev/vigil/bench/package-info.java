/**
 * {@code vigil bench}: bounded, repeatable measurements of the pipeline against embedded Kafka and
 * PostgreSQL on loopback, each figure beside its naive baseline and its DESIGN.md target, written
 * as a Markdown report.
 */
@NullMarked
package dev.vigil.bench;

import org.jspecify.annotations.NullMarked;
