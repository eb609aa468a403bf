/** The machinery of the batch consumer. */
@NullMarked
package dev.vigil.worker.internal;

import org.jspecify.annotations.NullMarked;
