/**
 * The Cloudflare API v4 connector: {@link dev.vigil.sources.cloudflare.CloudflareConfigSource}
 * builds the zone and account documents of the check catalogue from the real API, {@link
 * dev.vigil.sources.cloudflare.CloudflareDiscovery} lists the accounts and zones a token sees.
 * Every request of a process to one credential goes through one pacer; DNS lookups for the
 * dangling-record checks go to a configurable resolver.
 */
@NullMarked
package dev.vigil.sources.cloudflare;

import org.jspecify.annotations.NullMarked;
