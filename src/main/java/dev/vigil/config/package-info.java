/**
 * Configuration: every setting is documented data (a name, a default, a doc line and a validator),
 * read once at start from environment variables into records; a bad value fails fast naming the
 * variable, the value (masked when secret) and what to do.
 */
@NullMarked
package dev.vigil.config;

import org.jspecify.annotations.NullMarked;
