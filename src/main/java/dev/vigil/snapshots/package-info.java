/**
 * Pushed configuration snapshots: the versioned store of the documents that the systems owning a
 * target's configuration push ({@code config_snapshots}), the diff that names the sections a new
 * version changes, and the announcement of each stored version. The HTTP side (bodies, tokens,
 * problem details) is the API's; the workers read a version back over HTTP.
 */
@NullMarked
package dev.vigil.snapshots;

import org.jspecify.annotations.NullMarked;
