/** Simulation: synthetic fleets with planted misconfigurations and a simulated config service. */
@NullMarked
package dev.vigil.simulate;

import org.jspecify.annotations.NullMarked;
