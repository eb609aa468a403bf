/**
 * Results: the complete result of one scan as it travels from a worker to the results API, the
 * worker-side client, and (API side) the hybrid writer that applies results to PostgreSQL.
 */
@NullMarked
package dev.vigil.results;

import org.jspecify.annotations.NullMarked;
