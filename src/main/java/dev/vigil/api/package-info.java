/**
 * The HTTP API: the internal results endpoint the workers call, the public insights API customers
 * call (bearer tokens scoped to accounts), health endpoints, and RFC 9457 problem details for every
 * error. Routes are registered by {@link dev.vigil.api.ApiRoutes#register}, which {@code main} and
 * the tests both call.
 */
@NullMarked
package dev.vigil.api;

import org.jspecify.annotations.NullMarked;
