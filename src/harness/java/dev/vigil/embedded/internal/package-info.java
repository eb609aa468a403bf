/** Machinery of the embedded servers: free ports and temporary directories. */
@NullMarked
package dev.vigil.embedded.internal;

import org.jspecify.annotations.NullMarked;
