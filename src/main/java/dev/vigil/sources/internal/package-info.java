/** Machinery of the config sources: bounded response bodies and JSON document validation. */
@NullMarked
package dev.vigil.sources.internal;

import org.jspecify.annotations.NullMarked;
