/** Vigil: continuous security-posture scanning for fleets of accounts and zones. */
@NullMarked
package dev.vigil;

import org.jspecify.annotations.NullMarked;
