/**
 * How a port's failure is classified: {@link dev.vigil.failure.Failure}, retriable or permanent,
 * the one type that decides whether work is tried again or dead-lettered.
 */
@NullMarked
package dev.vigil.failure;

import org.jspecify.annotations.NullMarked;
