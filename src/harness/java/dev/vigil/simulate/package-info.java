/**
 * Simulation: synthetic fleets of accounts and zones with planted misconfigurations and the exact
 * insights they must produce, and a simulated config service that serves their documents.
 */
@NullMarked
package dev.vigil.simulate;

import org.jspecify.annotations.NullMarked;
