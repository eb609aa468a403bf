/** Machinery of the benchmark: row generators, raw COPY, the naive pipeline, process stats. */
@NullMarked
package dev.vigil.bench.internal;

import org.jspecify.annotations.NullMarked;
