/** Machinery of the results feature: the SQL of the hybrid writer, COPY encoding, JSON parsing. */
@NullMarked
package dev.vigil.results.internal;

import org.jspecify.annotations.NullMarked;
