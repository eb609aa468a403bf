/** Machinery of the fault suite: child role processes and the audit of topics and tables. */
@NullMarked
package dev.vigil.chaos.internal;

import org.jspecify.annotations.NullMarked;
