/** Machinery of the checks feature: rule-file parsing, the CEL environment, compiled checks. */
@NullMarked
package dev.vigil.checks.internal;

import org.jspecify.annotations.NullMarked;
