package dev.vigil.checks;

/**
 * A rule set was refused: a rule file is malformed, names an unknown field, misses a required one,
 * or holds a CEL expression that does not compile or has the wrong type. The message names the
 * file, the line, the field and the reason, e.g. {@code checks/tls/ssl_off.yaml:14: field 'assert':
 * expression must be bool, got string}. A refused set never replaces the one in force.
 */
public final class RuleSetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RuleSetException(String message) {
        super(message);
    }

    public RuleSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
