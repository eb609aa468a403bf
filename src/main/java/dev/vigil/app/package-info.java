/**
 * The composition root: builds each role (scheduler, worker, api) and the one-process demo from
 * configuration, and owns their lifecycle.
 */
@NullMarked
package dev.vigil.app;

import org.jspecify.annotations.NullMarked;
