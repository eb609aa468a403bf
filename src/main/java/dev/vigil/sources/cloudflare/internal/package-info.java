/**
 * Machinery of the Cloudflare connector: the paced HTTP client and its envelope, the builders of
 * each document section, and the DNS lookups.
 */
@NullMarked
package dev.vigil.sources.cloudflare.internal;

import org.jspecify.annotations.NullMarked;
