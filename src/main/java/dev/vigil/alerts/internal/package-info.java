/**
 * The alert dispatcher's machinery: the SQL of grouping, claiming and recording, the backoff, the
 * building of a message and its destination from their rows.
 */
@NullMarked
package dev.vigil.alerts.internal;

import org.jspecify.annotations.NullMarked;
