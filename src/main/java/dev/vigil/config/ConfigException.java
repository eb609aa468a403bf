package dev.vigil.config;

/**
 * A setting has a value Vigil cannot use. The message names the variable, the value (masked when
 * the setting is secret), the rule it broke and, when known, what to do.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
