/** Machinery of the inventory: parsing import files line by line. */
@NullMarked
package dev.vigil.inventory.internal;

import org.jspecify.annotations.NullMarked;
