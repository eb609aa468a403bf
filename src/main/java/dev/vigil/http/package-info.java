/**
 * HTTP: a blocking HTTP/1.1 client ({@link dev.vigil.http.Http1Client}) for the workers' calls on
 * virtual threads: config fetches ({@code sources}) and result batches ({@code results}). It knows
 * no feature of Vigil and uses none.
 */
@NullMarked
package dev.vigil.http;

import org.jspecify.annotations.NullMarked;
