/**
 * Checks: rule files (YAML metadata and CEL expressions), their compilation into rule sets, and the
 * evaluation of a rule set against one configuration document.
 */
@NullMarked
package dev.vigil.checks;

import org.jspecify.annotations.NullMarked;
