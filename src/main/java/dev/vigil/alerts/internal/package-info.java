/** The alerts feature's machinery, which no other feature may use. */
@NullMarked
package dev.vigil.alerts.internal;

import org.jspecify.annotations.NullMarked;
