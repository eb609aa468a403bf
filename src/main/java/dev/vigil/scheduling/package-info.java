/**
 * Scheduling: how hard the whole system works. An adaptive rate from the fleet's size and the
 * plans' intervals, due targets claimed with {@code FOR UPDATE SKIP LOCKED}, the lane of each
 * request, one active scheduler at a time under a PostgreSQL advisory lock.
 */
@NullMarked
package dev.vigil.scheduling;

import org.jspecify.annotations.NullMarked;
