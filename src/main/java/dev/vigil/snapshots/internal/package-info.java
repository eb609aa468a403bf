/** Machinery of the snapshot store: its SQL and the diff between two versions of a document. */
@NullMarked
package dev.vigil.snapshots.internal;

import org.jspecify.annotations.NullMarked;
