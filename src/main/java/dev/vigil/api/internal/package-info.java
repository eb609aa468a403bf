/** Machinery of the API: handlers, problem details, JSON, token checks, insight queries. */
@NullMarked
package dev.vigil.api.internal;

import org.jspecify.annotations.NullMarked;
