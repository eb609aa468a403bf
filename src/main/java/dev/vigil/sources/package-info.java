/**
 * Config sources: where a worker fetches a target's configuration document ({@link
 * dev.vigil.sources.ConfigSource}), and the HTTP implementation of that port.
 */
@NullMarked
package dev.vigil.sources;

import org.jspecify.annotations.NullMarked;
