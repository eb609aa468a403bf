/** Machinery of the tokens: their SQL and the cache of recent grants. */
@NullMarked
package dev.vigil.tokens.internal;

import org.jspecify.annotations.NullMarked;
