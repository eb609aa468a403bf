/**
 * Inventory: the accounts and zones Vigil scans (targets), their plans and scan intervals, and how
 * targets enter the inventory.
 */
@NullMarked
package dev.vigil.inventory;

import org.jspecify.annotations.NullMarked;
